/**
 * Recognises embedded ICC profiles that describe sRGB. Converting from such a profile to sRGB
 * changes nothing but costs as much as the rest of a thumbnail's decoding, so it is skipped.
 */
const HEADER_SIZE = 128;

function ascii(profile: Buffer, start: number, length: number): string {
  return profile.toString("latin1", start, Math.min(profile.length, start + length));
}

/** The text of the profile description tag (ICC v2 `desc` or v4 `mluc`), or "" if unreadable. */
export function profileDescription(profile: Buffer): string {
  if (profile.length < HEADER_SIZE + 4) return "";
  const tags = profile.readUInt32BE(HEADER_SIZE);
  for (let i = 0; i < tags; i++) {
    const entry = HEADER_SIZE + 4 + i * 12;
    if (entry + 12 > profile.length) return "";
    if (ascii(profile, entry, 4) !== "desc") continue;
    const offset = profile.readUInt32BE(entry + 4);
    const size = profile.readUInt32BE(entry + 8);
    if (offset + Math.min(size, 28) > profile.length || size < 12) return "";
    const type = ascii(profile, offset, 4);
    if (type === "desc")
      return ascii(profile, offset + 12, profile.readUInt32BE(offset + 8)).replace(/\0+$/, "");
    if (type === "mluc" && size >= 28) {
      const start = offset + profile.readUInt32BE(offset + 24);
      const end = Math.min(profile.length, start + profile.readUInt32BE(offset + 20));
      // UTF-16BE: swap a copy (an even number of bytes) into the UTF-16LE that Node decodes.
      return Buffer.from(profile.subarray(start, start + ((end - start) & ~1)))
        .swap16()
        .toString("utf16le");
    }
    return "";
  }
  return "";
}

export function isSrgbProfile(profile: Buffer): boolean {
  return ascii(profile, 16, 4) === "RGB " && /\bsRGB\b/.test(profileDescription(profile));
}
