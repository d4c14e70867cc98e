// One entry point over the parsers: input texts (already read and decompressed) -> capture.
import type { ParsedCapture } from './capture.ts';
import type { ImportFormat } from './cli-args.ts';
import { parseIrttJson, type IrttToolStats } from './irtt-json.ts';
import { matchTwoTap, parseTapCsv } from './two-tap-csv.ts';
import { parseWifiJsonl } from './wifi-jsonl.ts';

export interface InputText {
  name: string;
  text: string;
}

export interface ParseOptions {
  flowId: string;
  clockSynced: boolean;
  packetBytes: number | undefined;
}

export interface ParsedInput extends ParsedCapture {
  toolStats: IrttToolStats | null;
}

/** two-tap: inputs = [ingress (send), egress (receive)]; other formats: [file]. */
export function parseInput(format: ImportFormat, inputs: readonly InputText[], opts: ParseOptions): ParsedInput {
  const o = { flowId: opts.flowId, clockSynced: opts.clockSynced, packetBytes: opts.packetBytes };
  switch (format) {
    case 'two-tap': {
      const [send, recv] = inputs;
      return { ...matchTwoTap(parseTapCsv(send.text, send.name), parseTapCsv(recv.text, recv.name), o), toolStats: null };
    }
    case 'irtt':
      return parseIrttJson(inputs[0].text, inputs[0].name, o);
    case 'wifi':
      return { ...parseWifiJsonl(inputs[0].text, inputs[0].name, o), toolStats: null };
  }
}
