// Types of wire-patch.js for the TypeScript side (generator and its test).
export declare const SEQ_BASE: number;
export declare const SEQ_LIMIT: number;
export declare const MAX_MS: number;
export declare function nsBytesFromMs(ms: number): Uint8Array;
export declare function patchTemplate(
  template: Uint8Array,
  sendAt: readonly number[],
  seqAt: readonly number[],
  baseSeq: readonly number[],
  seqPerStep: readonly number[],
  step: number,
  stepStartMs: number,
): Uint8Array;
