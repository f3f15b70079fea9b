// Preloaded into the training server (node --require) by runFaults.protocol.test.ts: the first
// run worker is killed abruptly — terminated from outside while it computes — right after it has
// reported step $KILL_WORKER_AFTER_STEP, i.e. in the middle of the next step. A worker thread
// cannot receive SIGKILL; Worker#terminate() is the same for it: no cleanup, no last message.
const workerThreads = require('node:worker_threads');

if (workerThreads.isMainThread) {
  const killAfter = Number(process.env.KILL_WORKER_AFTER_STEP ?? '1');
  const Original = workerThreads.Worker;
  let killedOne = false;
  workerThreads.Worker = class KillableWorker extends Original {
    constructor(...args) {
      super(...args);
      if (killedOne) return;
      this.on('message', (m) => {
        const reached = m !== null && typeof m === 'object' && m.type === 'events' && m.events.some((e) => e.type === 'step' && e.step >= killAfter);
        if (killedOne || !reached) return;
        killedOne = true;
        process.stderr.write(`workerKiller: terminating the run worker after step ${killAfter}\n`);
        void this.terminate();
      });
    }
  };
}
