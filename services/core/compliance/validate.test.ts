import { describe, expect, it } from 'vitest';
import { isIsochronError } from '../errors.ts';
import { buildCatalog, canonicalJson } from './catalog.ts';
import { profileFileProblems, validateProfileFile } from './validate.ts';

/** A small valid file; tests break copies of it. */
function validFile(): Record<string, unknown> {
  return {
    format: 'isochron-profiles/1',
    family: 'test-family',
    title: 'Test profiles',
    profiles: [
      {
        id: 'test-a',
        version: 1,
        title: 'A',
        useCase: 'testing',
        source: { standard: 'RFC 8578', section: '§7.2.1', url: 'https://www.rfc-editor.org/rfc/rfc8578', status: 'V' },
        thresholds: {
          availability: {
            target: 0.99999,
            transferIntervalNs: null,
            maxLatencyNs: 1_000_000,
            survivalTimeIntervals: 1,
            downtimeOrigin: 'survival_expiry',
            status: { target: 'V', transferIntervalNs: 'D', maxLatencyNs: 'D', survivalTimeIntervals: 'D', downtimeOrigin: 'U' },
          },
          lossBurst: { maxConsecutiveLosses: 1, status: { maxConsecutiveLosses: 'V' } },
        },
      },
    ],
  };
}

function thrown(fn: () => unknown): { code: string; message: string; details: { problems: string[] } } {
  try {
    fn();
  } catch (e) {
    expect(isIsochronError(e)).toBe(true);
    return e as never;
  }
  throw new Error('expected an error');
}

describe('profile file validation', () => {
  it('accepts a valid file and returns it deep-frozen', () => {
    const f = validateProfileFile(validFile());
    expect(f.profiles[0].thresholds.availability?.target).toBe(0.99999);
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(f.profiles[0].thresholds.availability?.status)).toBe(true);
  });

  it('reports every problem of a malformed file in one ISO_PROFILE_INVALID error', () => {
    const bad = validFile();
    bad.format = 'isochron-profiles/0';
    bad.extra = true;
    const p0 = (bad.profiles as Record<string, unknown>[])[0];
    p0.useCase = '';
    p0.owner = 'me';
    const t = p0.thresholds as Record<string, Record<string, unknown>>;
    t.availability.target = 1; // not strictly below 1
    t.availability.survivalTimeNs = 0; // both survivalTimeNs and survivalTimeIntervals
    t.availability.status = { target: 'V', transferIntervalNs: 'D', maxLatencyNs: 'X', survivalTimeIntervals: 'D', downtimeOrigin: 'U', colour: 'V' };
    t.lossBurst.maxConsecutive = 2;
    t.jitter = { boundNs: 5 };
    t.delay = { statistic: 'quantile', maxLatencyNs: 1.5, status: { statistic: 'D' } };
    t.reliability = { target: 0.1234567890123, maxLatencyNs: 1_000_000, status: { target: 'D', maxLatencyNs: 'D' } };
    (bad.profiles as unknown[]).push(structuredClone((validFile().profiles as unknown[])[0]));

    const e = thrown(() => validateProfileFile(bad, 'bad.json'));
    expect(e.code).toBe('ISO_PROFILE_INVALID');
    const expected = [
      '$.extra: unknown key',
      '$.format: got "isochron-profiles/0"; use "isochron-profiles/1"',
      '$.profiles[0].owner: unknown key',
      '$.profiles[0].useCase: got ""; use a non-empty string',
      '$.profiles[0].thresholds.jitter: unknown key',
      '$.profiles[0].thresholds.delay.quantile: missing; statistic \'quantile\' needs the level',
      '$.profiles[0].thresholds.delay.maxLatencyNs: got 1.5; use a positive integer number of ns',
      '$.profiles[0].thresholds.delay.status.maxLatencyNs: missing',
      '$.profiles[0].thresholds.reliability.target: got 0.1234567890123; use a number strictly between 0 and 1 with at most 12 decimals',
      '$.profiles[0].thresholds.availability.target: got 1; use a number strictly between 0 and 1',
      '$.profiles[0].thresholds.availability.survivalTimeNs: give exactly one of survivalTimeNs and survivalTimeIntervals',
      '$.profiles[0].thresholds.availability.status.survivalTimeNs: missing',
      '$.profiles[0].thresholds.availability.status.maxLatencyNs: got "X"; use \'V\', \'S\', \'U\' or \'D\'',
      '$.profiles[0].thresholds.availability.status.colour: no such value in this threshold',
      '$.profiles[0].thresholds.lossBurst.maxConsecutive: unknown key',
      '$.profiles[1]: test-a@1 repeats $.profiles[0]; raise the version of the newer one',
    ];
    const problems = e.details.problems;
    for (const x of expected) expect(problems.some((p) => p.startsWith(x)), `${x}\nin\n${problems.join('\n')}`).toBe(true);
    expect(problems).toHaveLength(expected.length);
    expect(e.message).toMatch(/^bad\.json: 16 problem\(s\):\n- /);
  });

  it('checks the statistic/quantile pairing, duration alternatives, mtbf and the evidence rule', () => {
    const f = validFile();
    const p0 = (f.profiles as Record<string, unknown>[])[0];
    p0.thresholds = {
      pdv: { statistic: 'max', quantile: 0.999, maxPdvNs: 1000, status: { statistic: 'D', quantile: 'D', maxPdvNs: 'V' } },
      mtbf: { minMtbfS: 86400, status: { minMtbfS: 'V' } },
    };
    const problems = profileFileProblems(f);
    expect(problems).toEqual([
      "$.profiles[0].thresholds.pdv.quantile: only allowed with statistic 'quantile'; remove it (statistic is \"max\")",
      '$.profiles[0].thresholds.mtbf: needs an availability threshold in the same profile (its parameters define a failure)',
      '$.profiles[0].minimumSamples: missing; no threshold has a ratio target to derive the minimum data from, so state it (e.g. 3000 = rule of three at 0.1 %)',
    ]);
    p0.minimumSamples = 3000;
    p0.thresholds = {
      availability: { target: 0.999, transferIntervalNs: 0, downtimeOrigin: 'later', status: { target: 'V', transferIntervalNs: 'V', downtimeOrigin: 'V' } },
    };
    expect(profileFileProblems(f)).toEqual([
      '$.profiles[0].thresholds.availability.transferIntervalNs: got 0; use a positive integer number of ns, or null for the value the flow declares',
      "$.profiles[0].thresholds.availability.downtimeOrigin: got \"later\"; use one of 'survival_expiry', 'first_failure'",
      '$.profiles[0].thresholds.availability.maxLatencyNs: give exactly one of maxLatencyNs and maxLatencyIntervals',
      '$.profiles[0].thresholds.availability.survivalTimeNs: give exactly one of survivalTimeNs and survivalTimeIntervals',
    ]);
  });

  it('rejects non-objects and empty profile lists with the fix', () => {
    expect(profileFileProblems([])).toEqual(['$: got an array; use an object']);
    expect(profileFileProblems({ format: 'isochron-profiles/1', family: 'x', title: 't', profiles: [] })).toEqual(['$.profiles: got an array; use a non-empty array of profiles']);
    const f = validFile();
    (f.profiles as Record<string, unknown>[])[0].thresholds = {};
    expect(profileFileProblems(f)).toEqual(['$.profiles[0].thresholds: empty; give at least one of delay, pdv, reliability, availability, mtbf, lossBurst, lossRatio, errorRatio']);
  });
});

describe('profile catalog', () => {
  it('lists the problems of every file and of the set in one error', () => {
    const a = validFile();
    const b = validFile();
    b.family = 'other';
    const c = validFile();
    c.title = 7;
    const e = thrown(() =>
      buildCatalog([
        { name: 'test-family.json', content: a },
        { name: 'wrong-name.json', content: b },
        { name: 'broken.json', content: undefined, parseError: 'Unexpected token } in JSON at position 9' },
        { name: 'c.json', content: c },
      ]),
    );
    // Files in the given order, then the checks across files.
    expect(e.details.problems).toEqual([
      'wrong-name.json $.family: got "other"; rename the file to other.json or fix the family',
      'broken.json: not JSON: Unexpected token } in JSON at position 9',
      'c.json $.title: got 7; use a non-empty string of at most 2000 characters',
      'wrong-name.json: test-a@1 is also defined in test-family.json; profile ids are global',
    ]);
  });

  it('finds a profile by id and version, the latest when no version is given', () => {
    const f = validFile();
    const v2 = structuredClone((f.profiles as Record<string, unknown>[])[0]);
    v2.version = 2;
    (f.profiles as unknown[]).push(v2);
    const cat = buildCatalog([{ name: 'test-family.json', content: f }]);
    expect(cat.get('test-a')?.profile.version).toBe(2);
    expect(cat.get('test-a', 1)?.profile.version).toBe(1);
    expect(cat.get('test-a', 3)).toBeUndefined();
    expect(cat.get('nope')).toBeUndefined();
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: null, e: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[1,{"e":"x","f":null}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
