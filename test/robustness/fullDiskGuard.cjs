// Preloaded into a CLI process (node --require) by fullDisk.test.ts: the disk under
// $FULL_DISK_DIR "fills up" when the $FULL_DISK_AT_CHECKPOINT-th checkpoint's optimizer state is
// written. From then on every write there of $FULL_DISK_MIN_BYTES or more stores half its bytes
// and fails with ENOSPC, as a real full disk does; small files (run.json, metrics lines) still fit.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(process.env.FULL_DISK_DIR ?? '/nonexistent');
const atCheckpoint = Number(process.env.FULL_DISK_AT_CHECKPOINT ?? '1');
const minBytes = Number(process.env.FULL_DISK_MIN_BYTES ?? '4096');
let checkpointsSeen = 0;
let full = false;

const size = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
const noSpace = (file) => Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });

const originalWriteFile = fs.promises.writeFile;
fs.promises.writeFile = async function writeFile(file, data, ...rest) {
  const target = typeof file === 'string' ? path.resolve(file) : '';
  if (target.startsWith(dir + path.sep)) {
    if (path.basename(target) === 'optimizer.safetensors' && ++checkpointsSeen >= atCheckpoint) full = true;
    if (full && size(data) >= minBytes) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      await originalWriteFile.call(this, file, bytes.subarray(0, bytes.length >> 1));
      throw noSpace(target);
    }
  }
  return originalWriteFile.call(this, file, data, ...rest);
};
