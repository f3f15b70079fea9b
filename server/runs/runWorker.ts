/**
 * Entry point of a run's worker thread (bundled as dist/runWorker.js). Training runs here so the
 * server's main thread keeps answering requests; a crash here never takes the server down.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backend/selectBackend';
import { describeError } from '../errors';
import { executeRun } from './executeRun';
import { RunWriter, toSummary } from './runStore';
import { isToWorker, type FromWorker } from './workerMessages';

const port = parentPort;
if (port === null) throw new Error('runWorker.js must run in a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);
let cancelled = false;

port.on('message', (raw: unknown) => {
  if (!isToWorker(raw)) return;
  if (raw.type === 'cancel') {
    cancelled = true;
    return;
  }
  void (async () => {
    const writer = await RunWriter.open(raw.runDir);
    try {
      const backend = await initBackend(raw.backend);
      const final = await executeRun(writer, backend, {
        onEvents: (events) => post({ type: 'events', events }),
        onRecord: (r) => post({ type: 'record', run: toSummary(r) }),
        onLog: (line) => post({ type: 'log', line }),
        isCancelled: () => cancelled,
      });
      post({ type: 'finished', run: toSummary(final) });
    } catch (err) {
      const final = await writer.setState('failed', describeError(err));
      post({ type: 'finished', run: toSummary(final) });
    } finally {
      port.close(); // lets the thread exit; the server treats exit-after-finished as normal
    }
  })();
});
