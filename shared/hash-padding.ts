/**
 * The message padding MD5 and SHA-256 share: the bytes, 0x80, zeros, then the 64-bit length in
 * bits, in 64-byte blocks. MD5 writes the length little-endian, SHA-256 big-endian.
 */
export function paddedBlocks(bytes: Uint8Array, littleEndian: boolean): DataView {
  const length = (((bytes.length + 8) >>> 6) + 1) << 6;
  const buffer = new Uint8Array(length);
  buffer.set(bytes);
  buffer[bytes.length] = 0x80;
  const view = new DataView(buffer.buffer);
  const bits = bytes.length * 8;
  const [low, high] = [bits >>> 0, Math.floor(bits / 2 ** 32)];
  view.setUint32(length - 8, littleEndian ? low : high, littleEndian);
  view.setUint32(length - 4, littleEndian ? high : low, littleEndian);
  return view;
}
