/**
 * MD5 over the UTF-8 bytes of a string, as lowercase hex. Synchronous and dependency-free
 * because signing runs in the CLI, the browser UI and the Worker alike, and WebCrypto only
 * offers MD5 in some of them.
 */
import { paddedBlocks } from "./hash-padding.ts";

const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
  20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6,
  10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

const SINES = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));

function messageIndex(round: number): (i: number) => number {
  const steps = [
    (i: number) => i,
    (i: number) => (5 * i + 1) % 16,
    (i: number) => (3 * i + 5) % 16,
    (i: number) => (7 * i) % 16,
  ];
  return steps[round] as (i: number) => number;
}

function mix(round: number, b: number, c: number, d: number): number {
  if (round === 0) return (b & c) | (~b & d);
  if (round === 1) return (d & b) | (~d & c);
  if (round === 2) return b ^ c ^ d;
  return c ^ (b | ~d);
}

export function md5Bytes(bytes: Uint8Array): Uint8Array {
  const view = paddedBlocks(bytes, true);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let offset = 0; offset < view.byteLength; offset += 64) {
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      const word = view.getUint32(offset + messageIndex(round)(i) * 4, true);
      const sum = (a + mix(round, b, c, d) + (SINES[i] as number) + word) | 0;
      const shift = SHIFTS[i] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    state[0] = ((state[0] as number) + a) | 0;
    state[1] = ((state[1] as number) + b) | 0;
    state[2] = ((state[2] as number) + c) | 0;
    state[3] = ((state[3] as number) + d) | 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  for (const [i, word] of state.entries()) out.setUint32(i * 4, word, true);
  return digest;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function md5Hex(text: string): string {
  return toHex(md5Bytes(new TextEncoder().encode(text)));
}
