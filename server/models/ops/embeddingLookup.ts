/**
 * Embedding lookup (gather of rows) with a gradient that the WebAssembly backend can run: tfjs's
 * gather gradient needs UnsortedSegmentSum, which wasm lacks (ENGINE-NOTES trap 1). ScatterNd
 * sums duplicate indices, so scattering the output gradient into the table's shape is exactly
 * the sparse row-wise accumulation.
 */
import { tf, type Tensor } from '../../backend/tf';

/** table [V, H], ids int32 of any shape S → [...S, H]. */
export const embeddingLookup: (table: Tensor, ids: Tensor) => Tensor = tf.customGrad(
  (...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [table, ids, save] = args as [Tensor, Tensor, tf.GradSaveFunc];
    save([ids]);
    const [vocab, width] = table.shape as [number, number];
    const flatIds = tf.reshape(ids, [-1]);
    const rows = tf.gather(table, flatIds); // [N, H]
    return {
      value: tf.reshape(rows, [...ids.shape, width]),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [savedIds] = saved as [Tensor];
        const indices = tf.reshape(savedIds, [-1, 1]); // [N, 1]
        const updates = tf.reshape(dy, [-1, width]); // [N, H]
        const dTable = tf.scatterND(indices, updates, [vocab, width]);
        // ids are integer inputs: their "gradient" is zeros of the same shape.
        return [dTable, tf.zerosLike(savedIds)];
      },
    };
  },
) as (table: Tensor, ids: Tensor) => Tensor;
