// Preloaded into a CLI process (node --require) by noNetwork.test.ts: records and refuses every
// outbound connection or DNS lookup, and reports them on exit, so a run that tried the network
// is caught even if it handled the failure.
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');
const attempts = [];
const refuse = (what) => {
  attempts.push(what);
  throw new Error(`network access blocked by the test: ${what}`);
};
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect passes normalised [options, callback]; Socket#connect may get (options) or (port, host).
  const opts = Array.isArray(args[0]) ? args[0][0] : args[0];
  // A local pipe/Unix socket (path) is not the network.
  if (typeof opts === 'object' && opts !== null && typeof opts.path === 'string') return originalConnect.apply(this, args);
  const target = typeof opts === 'object' && opts !== null ? `${opts.host ?? 'localhost'}:${opts.port}` : `${String(opts)}:${String(args[1])}`;
  return refuse(`connect ${target}`);
};
dns.lookup = (host) => refuse(`dns ${host}`);
process.on('exit', () => fs.writeFileSync(process.env.NETWORK_GUARD_REPORT, JSON.stringify(attempts)));
