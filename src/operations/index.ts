// Which function carries out each operation.
import type { Operation } from '../inputs.js';
import type { OperationContext } from './context.js';
import { create, update } from './create.js';
import { install, installation, prepare } from './install.js';
import { definition, get, installations, list, remove, replace } from './read.js';
import { transition } from './transition.js';

export const OPERATIONS: Record<Operation, (ctx: OperationContext) => Promise<void>> = {
  create,
  update,
  transition,
  prepare,
  install,
  get,
  definition,
  list,
  installations,
  installation,
  replace,
  delete: remove,
};
