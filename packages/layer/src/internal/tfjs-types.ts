import * as tf from '@tensorflow/tfjs';

/** The constructor arguments of `tf.layers.Layer` (tfjs does not export the type). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The keyword arguments `tf.layers.Layer.call` receives (`training`, `mask`, ...). */
export type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Returns the single tensor of a layer input, or throws naming `where`. */
export function oneTensor(inputs: tf.Tensor | tf.Tensor[], where: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    const [first] = inputs;
    if (inputs.length !== 1 || first === undefined) {
      throw new TypeError(`${where} expects exactly one input tensor; received ${inputs.length}.`);
    }
    return first;
  }
  return inputs;
}

/** Returns the single shape of a layer input shape argument. */
export function oneShape(inputShape: tf.Shape | tf.Shape[], where: string): tf.Shape {
  if (Array.isArray(inputShape[0])) {
    const shapes = inputShape as tf.Shape[];
    const [first] = shapes;
    if (shapes.length !== 1 || first === undefined) {
      throw new TypeError(`${where} expects exactly one input; received ${shapes.length} shapes.`);
    }
    return first;
  }
  return inputShape as tf.Shape;
}
