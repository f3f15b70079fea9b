// Decoding of the protocol's base64 little-endian float32 tensors in the browser (no Buffer).

/** base64 of little-endian float32 values → Float32Array (copied, so alignment never matters). */
export function decodeFloat32(base64: string): Float32Array {
  const binary = atob(base64);
  if (binary.length % 4 !== 0) throw new Error(`decodeFloat32: ${binary.length} bytes is not a whole number of float32 values`);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
