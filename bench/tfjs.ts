import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

/**
 * TensorFlow.js (tfjs-core with the pure-JavaScript CPU backend), the reference the
 * benchmarks compare with. Its banner suggesting tfjs-node (printed on the first op) is
 * silenced.
 */
export async function loadTfjs(): Promise<typeof tf> {
  const log = console.log;
  const warn = console.warn;
  console.log = () => {};
  console.warn = () => {};
  try {
    await tf.setBackend("cpu");
    await tf.ready();
    tf.add(tf.scalar(1), tf.scalar(1)).dispose(); // the banner prints on the first op
  } finally {
    console.log = log;
    console.warn = warn;
  }
  return tf;
}

export type Tf = typeof tf;
