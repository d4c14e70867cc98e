// Ascending sort of a window's delays in place; every closed window sorts its delays for exact
// quantiles, so this is on the hot path. Delays are integer nanoseconds: the offsets
// (value - min) are sorted as 32-bit integers — natively (Uint32Array sort, ~4x faster than
// Float64Array sort in V8: 17 vs 63 ns per element at n = 1000) up to NATIVE_MAX elements, by
// LSD radix above (native integer sort degrades to ~75 ns per element at n = 10 000, radix
// stays ~20). Non-integer or wider inputs fall back to the Float64Array sort.

const SMALL = 32;
const NATIVE_MAX = 4096;
const DIGIT_MAX_BITS = 11;

let keys = new Uint32Array(1024);
let tmp = new Uint32Array(1024);
const counts = new Uint32Array((1 << DIGIT_MAX_BITS) + 1);

export function sortAscending(a: Float64Array, n: number): void {
  if (n < 2) return;
  if (n <= SMALL) {
    insertionSort(a, n);
    return;
  }
  let min = a[0];
  let max = a[0];
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < min) min = v;
    else if (v > max) max = v;
    if (v !== Math.floor(v)) integral = false;
  }
  sortWithRange(a, n, min, max, integral);
}

/** sortAscending when the caller already knows min, max and whether all values are integers. */
export function sortWithRange(a: Float64Array, n: number, min: number, max: number, integral: boolean): void {
  if (n < 2) return;
  if (n <= SMALL) {
    insertionSort(a, n);
    return;
  }
  const range = max - min;
  if (!integral || !(range < 4294967296)) {
    a.subarray(0, n).sort();
    return;
  }
  if (range === 0) return;
  if (keys.length < n) {
    keys = new Uint32Array(Math.max(n, keys.length * 2));
    tmp = new Uint32Array(keys.length);
  }
  for (let i = 0; i < n; i++) keys[i] = a[i] - min;
  const src = n <= NATIVE_MAX ? sortNative(n) : radixSort(n, range);
  for (let i = 0; i < n; i++) a[i] = src[i] + min;
}

/** V8 sorts integer typed arrays natively ~4x faster than Float64Array (no NaN/-0 ordering). */
function sortNative(n: number): Uint32Array {
  keys.subarray(0, n).sort();
  return keys;
}

/** LSD radix sort of keys[0..n), digits of at most 11 bits; returns the array holding the result. */
function radixSort(n: number, range: number): Uint32Array {
  const bits = 32 - Math.clz32(range);
  const passes = Math.ceil(bits / DIGIT_MAX_BITS);
  const digit = Math.ceil(bits / passes);
  const buckets = 1 << digit;
  const mask = buckets - 1;
  let src = keys;
  let dst = tmp;
  for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
    counts.fill(0, 0, buckets + 1);
    for (let i = 0; i < n; i++) counts[((src[i] >>> shift) & mask) + 1]++;
    for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < n; i++) {
      const k = src[i];
      dst[counts[(k >>> shift) & mask]++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * For input that is already almost in order (send times in arrival order): insertion sort, which
 * is linear in n + inversions; gives up after 8n moves and sorts the rest with sortAscending.
 */
export function sortNearlySorted(a: Float64Array, n: number): void {
  let budget = 8 * n + 64;
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
      if (--budget === 0) {
        a[j + 1] = v;
        sortAscending(a, n);
        return;
      }
    }
    a[j + 1] = v;
  }
}

function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Rearranges a[0..n) so a[k] holds the k-th smallest value (Hoare quickselect); returns it. */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    if (hi - lo < 16) {
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      break;
    }
    // Median of three as pivot.
    const mid = (lo + hi) >>> 1;
    let x = a[lo];
    let y = a[mid];
    let z = a[hi];
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; }
    if (x > y) { y = x; }
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

const heap = new Float64Array(256);

/**
 * The k-th smallest of a[0..n) for k near n (upper quantiles): keeps the n - k largest values in
 * a small min-heap, one comparison per element for most inputs. Falls back to selectKth when
 * the tail is larger than 256 values (which reorders a; the heap path does not).
 */
export function selectUpper(a: Float64Array, n: number, k: number): number {
  const m = n - k; // size of the tail that ends with the k-th smallest as its minimum
  if (m > heap.length) return selectKth(a, n, k);
  // Min-heap of the m largest values seen so far; its root is the answer.
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (size < m) {
      let j = size++;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (heap[parent] <= v) break;
        heap[j] = heap[parent];
        j = parent;
      }
      heap[j] = v;
    } else if (v > heap[0]) {
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= m) break;
        const r = l + 1;
        const c = r < m && heap[r] < heap[l] ? r : l;
        if (heap[c] >= v) break;
        heap[j] = heap[c];
        j = c;
      }
      heap[j] = v;
    }
  }
  return heap[0];
}
