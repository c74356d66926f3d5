// The objCodes the vendor documents; the list grows (Preview gets new ones first), so an unknown one is a warning.

/** Allowed at the top of objectCollections. */
export const PROMOTABLE_OBJCODES: Readonly<Record<string, string>> = {
  PROJ: 'Project',
  TMPL: 'Template',
  UITMPL: 'Layout template',
  PTLTAB: 'Dashboard',
  CALEND: 'Calendar',
  EXTSEC: 'External page',
  PTLSEC: 'Report',
  UIFT: 'Filter',
  UIGB: 'Grouping',
  UIVW: 'View',
  CTGY: 'Custom form',
  PARAM: 'Custom field',
  PGRP: 'Custom field section',
  GROUP: 'Group',
  ROLE: 'Job role',
  TEAM: 'Team',
  CMPY: 'Company',
  PORT: 'Portfolio',
  PRGM: 'Program',
  ARVPRC: 'Approval process',
  SCHED: 'Schedule',
  MPATH: 'Milestone path',
  TSPRO: 'Timesheet profile',
  HOURT: 'Hour type',
  EXPTYP: 'Expense type',
  RSKTYP: 'Risk type',
  RSPL: 'Resource pool',
  ACSLVL: 'Access level',
  RTCRD: 'Rate card',
  CLSF: 'Location',
  BSNRUL: 'Business rule',
};

/** Sub-objects a package pulls in; they appear in definitions and translation maps, not in requests. */
export const SUB_OBJCODES: Readonly<Record<string, string>> = {
  TTSK: 'Template task',
  TPRED: 'Template task predecessor',
  TASSGN: 'Template task assignment',
  QUED: 'Queue definition',
  QUET: 'Queue topic',
  QUTG: 'Queue topic group',
  RRUL: 'Routing rule',
  TASK: 'Task',
  PRED: 'Predecessor',
  ASSGN: 'Assignment',
  CTGYPA: 'Form field',
  CTGYPG: 'Form section',
  POPT: 'Field option',
  CLSEC: 'Calendar section',
  ARVPTH: 'Approval path',
  ARVSTP: 'Approval step',
  SARVPR: 'Step approver',
};

/**
 * Which sub-objects belong to a record (the vendor's parent and child pairs): a child cannot be installed when its
 * parent is ignored, so IGNORE on a CREATE parent must reach them too.
 */
export const CHILD_OBJCODES: Readonly<Record<string, readonly string[]>> = {
  PROJ: ['TASK', 'QUED', 'RRUL'],
  TASK: ['TASK', 'PRED', 'ASSGN'],
  TMPL: ['TTSK', 'QUED', 'RRUL'],
  TTSK: ['TTSK', 'TPRED', 'TASSGN'],
  // A routing rule belongs to the template or project, and serves its queue: without the queue it has no use.
  QUED: ['QUTG', 'QUET', 'RRUL'],
  QUTG: ['QUET'],
  PARAM: ['POPT'],
  CALEND: ['CLSEC'],
  CTGY: ['CTGYPA', 'CTGYPG'],
  ARVPRC: ['ARVPTH'],
  ARVPTH: ['ARVSTP'],
  ARVSTP: ['SARVPR'],
};

/** Records whose names are unique in an environment: changing USEEXISTING to CREATE fails for them. */
export const UNIQUE_NAME_OBJCODES: ReadonlySet<string> = new Set([
  'GROUP',
  'ROLE',
  'TEAM',
  'CMPY',
  'ACSLVL',
  'HOURT',
]);

export const OBJCODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;

export function objCodeLabel(objCode: string): string {
  // Own keys only: an objCode from a server may be `constructor` or `__proto__`.
  if (Object.hasOwn(PROMOTABLE_OBJCODES, objCode)) return PROMOTABLE_OBJCODES[objCode];
  return Object.hasOwn(SUB_OBJCODES, objCode) ? SUB_OBJCODES[objCode] : objCode;
}
