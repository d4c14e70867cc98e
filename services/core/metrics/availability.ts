// Communication service availability (3GPP TS 22.261 §3.1, TS 22.104 Annex C.3), built as in
// METRICS.md §7 for periodic deterministic flows with transfer interval T, max latency Lmax and
// survival time S.
//
// A message is "ok" when it arrived as a non-corrupt first copy, with a trusted delay (clock
// synchronised, delay >= 0) of at most Lmax. Time runs on the send-time axis: an ok message sent
// at t keeps the service up until t + T + S (the next message is due at t + T; the application
// survives S more). METRICS.md's rule "down if now > t_ok + Lmax + T + S" is the same rule on the
// receive-deadline axis, shifted by Lmax; on this axis the service is credited back up at the
// deadline t + Lmax of the first ok message (at most Lmax later than its actual arrival, so
// downtime is never understated).
// With S = n*T exactly n consecutive failed messages are survived (RFC 8578 §7.2.1 with n = 1).
// downtimeOrigin:
//   survival_expiry: the down interval starts when S has run out (t_ok + T + S);
//   first_failure:   it starts at the first missed deadline (t_ok + T); the S before the
//                    transition is added to the row in which the transition happens.

export interface AvailabilitySpan {
  /** Carried: the service is up until this send time (flow-relative ns). */
  upUntil: number;
  downtimeNs: number;
  transitions: number;
}

/**
 * Evaluates the interval [from, to) given the send times of ok messages in it (sorted ascending).
 * state.upUntil is read and updated; downtimeNs/transitions are set for this interval only.
 */
export function availabilitySpan(
  okSendSorted: ArrayLike<number>,
  n: number,
  from: number,
  to: number,
  transferIntervalNs: number,
  survivalTimeNs: number,
  firstFailureOrigin: boolean,
  state: AvailabilitySpan,
): AvailabilitySpan {
  let up = state.upUntil;
  let down = 0;
  let transitions = 0;
  const keep = transferIntervalNs + survivalTimeNs;
  for (let i = 0; i < n; i++) {
    const t = okSendSorted[i];
    if (t > up) {
      const start = up > from ? up : from;
      if (t > start) down += t - start;
      if (up >= from) transitions++;
    }
    if (t + keep > up) up = t + keep;
  }
  if (up < to) {
    const start = up > from ? up : from;
    down += to - start;
    if (up >= from) transitions++;
  }
  if (firstFailureOrigin) down += transitions * survivalTimeNs;
  state.upUntil = up;
  state.downtimeNs = down;
  state.transitions = transitions;
  return state;
}
