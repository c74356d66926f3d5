// Every operation's descriptor: what it needs and uses, its verb and its function. The first stop for a new one.
import type { ConfigOf, Operation } from '../config.js';
import type { Reports } from '../result.js';
import type { OperationContext, OperationDescriptor } from './context.js';
import { createOperation, updateOperation } from './create.js';
import { installationOperation, installOperation, prepareOperation } from './install.js';
import {
  definitionOperation,
  deleteOperation,
  getOperation,
  installationsOperation,
  listOperation,
  replaceOperation,
} from './read.js';
import { transitionOperation } from './transition.js';

/** By name; the order is the one the input errors list them in. */
export const OPERATIONS: { [O in Operation]: OperationDescriptor<O> } = {
  create: createOperation,
  update: updateOperation,
  transition: transitionOperation,
  prepare: prepareOperation,
  install: installOperation,
  get: getOperation,
  definition: definitionOperation,
  list: listOperation,
  installations: installationsOperation,
  installation: installationOperation,
  replace: replaceOperation,
  delete: deleteOperation,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS) as Operation[];

/** Runs the operation `operation` names, with its own config type (no cast: the descriptors are keyed by name). */
export function runOperation<O extends Operation>(
  operation: O,
  ctx: OperationContext<ConfigOf<O>>,
): Promise<Reports[O]> {
  return OPERATIONS[operation].run(ctx);
}
