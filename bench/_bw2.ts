import { tf } from '../server/backend/tf';
import { initBackend } from '../server/backend/selectBackend';
import { matMul } from '../server/models/ops/matMul';
async function layer(label: string) {
  const x = tf.randomUniform([2048, 1024]);
  const w = tf.variable(tf.randomUniform([1024, 256]));
  const dyT = tf.randomUniform([2048, 256]);
  const per: string[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(matMul(x, w), dyT)) as tf.Scalar, [w]);
      tf.dispose(Object.values(grads));
      return value;
    });
    tf.dispose(info.result as tf.Tensor);
    per.push(info.kernels.filter((k) => k.name === 'BatchMatMul').map((k) => (k.kernelTimeMs as number).toFixed(0)).join('/'));
  }
  console.log(label, 'fwd/dx/dW ms:', per.join('  '));
  tf.dispose([x, w, dyT]);
}
(async () => {
  await initBackend('wasm');
  await layer('small heap      ');
  const ballast = Array.from({ length: 12 }, () => tf.randomUniform([32 * 1024 * 1024 / 8]));  // 12 × 16 MiB... 
  await layer('+192 MiB live   ');
  const more = Array.from({ length: 10 }, () => tf.randomUniform([32 * 1024 * 1024]));  // 10 × 128 MiB
  await layer('+1.5 GiB live   ');
  tf.dispose([...ballast, ...more]);
  await layer('ballast freed   ');
})();
