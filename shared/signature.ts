import { md5Hex } from "./md5.ts";

/** The imgflo token: md5(graphspec + search + secret), lowercase hex. */
export function computeToken(graphSpec: string, rawSearch: string, secret: string): string {
  return md5Hex(graphSpec + rawSearch + secret);
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return difference === 0;
}

export function verifyToken(
  token: string,
  graphSpec: string,
  rawSearch: string,
  secret: string,
): boolean {
  return constantTimeEqual(token.toLowerCase(), computeToken(graphSpec, rawSearch, secret));
}
