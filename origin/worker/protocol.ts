/**
 * Framing of the imgflo-gegl-worker protocol, both directions: u32 LE header length, the JSON
 * header, u32 LE payload length, the payload (possibly empty).
 */
export interface Frame {
  header: Record<string, unknown>;
  payload: Buffer;
}

function u32(value: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32LE(value, 0);
  return bytes;
}

/** The frame as buffers to write in order; the payload, in one part or several, is not copied. */
export function encodeFrame(header: object, payload: Buffer | readonly Buffer[] = []): Buffer[] {
  const parts = Buffer.isBuffer(payload) ? [payload] : payload;
  const length = parts.reduce((total, part) => total + part.length, 0);
  const json = Buffer.from(JSON.stringify(header), "utf8");
  return [Buffer.concat([u32(json.length), json, u32(length)]), ...parts];
}

/** Reassembles frames from stream chunks; a large payload is copied once, when complete. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private headerLength = -1;
  private header: Record<string, unknown> | null = null;
  private payloadLength = -1;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    return frames;
  }

  private next(): Frame | null {
    if (this.headerLength < 0) {
      if (this.buffered < 4) return null;
      this.headerLength = this.take(4).readUInt32LE(0);
    }
    if (this.header === null) {
      if (this.buffered < this.headerLength) return null;
      this.header = JSON.parse(this.take(this.headerLength).toString("utf8"));
    }
    if (this.payloadLength < 0) {
      if (this.buffered < 4) return null;
      this.payloadLength = this.take(4).readUInt32LE(0);
    }
    if (this.buffered < this.payloadLength) return null;
    const frame = {
      header: this.header as Record<string, unknown>,
      payload: this.take(this.payloadLength),
    };
    this.headerLength = -1;
    this.header = null;
    this.payloadLength = -1;
    return frame;
  }

  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= length) {
      this.chunks[0] = first.subarray(length);
      if (this.chunks[0].length === 0) this.chunks.shift();
      this.buffered -= length;
      return first.subarray(0, length);
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0] as Buffer;
      const used = Math.min(chunk.length, length - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= length;
    return out;
  }
}
