/**
 * Entry point of a pretraining job's worker thread (bundled as dist/pretrainWorker.js), so the
 * server's main thread keeps answering requests while a model pretrains.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backend/selectBackend';
import { describeError, UserError } from '../errors';
import { PretrainCancelled, runPretrain } from './runPretrain';
import { isToPretrainWorker, type FromPretrainWorker } from './pretrainWorkerMessages';

const port = parentPort;
if (port === null) throw new Error('pretrainWorker.js must run in a worker thread');
const post = (m: FromPretrainWorker): void => port.postMessage(m);
let cancelled = false;

port.on('message', (raw: unknown) => {
  if (!isToPretrainWorker(raw)) return;
  if (raw.type === 'cancel') {
    cancelled = true;
    return;
  }
  void (async () => {
    try {
      const backend = await initBackend(raw.backend);
      post({ type: 'log', line: `pretraining on ${backend.backend} (${backend.device})` });
      const result = await runPretrain(raw.config, {
        onEvent: (event) => post({ type: 'event', event }),
        onLog: (line) => post({ type: 'log', line }),
        isCancelled: () => cancelled,
      });
      post({ type: 'completed', heldOutLoss: result.heldOutLoss });
    } catch (err) {
      if (!(err instanceof UserError) && !(err instanceof PretrainCancelled) && err instanceof Error && err.stack !== undefined) post({ type: 'log', line: err.stack });
      post(err instanceof PretrainCancelled ? { type: 'cancelled' } : { type: 'failed', message: describeError(err) });
    } finally {
      port.close();
    }
  })();
});
