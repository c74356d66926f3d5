// What the simulator knows about objCodes: which may be requested, which sub-objects each one pulls in
// (seed 000's tables), which names are unique, and the order records are installed in.

/** Shared by the work objects (PROJ, TMPL) in seed 000's tables. */
const WORK_SUB_OBJECTS = [
  'CMPY',
  'GROUP',
  'ROLE',
  'TEAM',
  'ARVPRC',
  'ARVPTH',
  'ARVSTP',
  'SARVPR',
  'SCHED',
  'NONWKD',
  'QUED',
  'QUTG',
  'QUET',
  'RRUL',
  'MPATH',
  'MILE',
  'HOURT',
  'RSPL',
  'CTGY',
  'CTGYPA',
  'PARAM',
  'PGRP',
  'POPT',
];
const FORM_SUB_OBJECTS = ['CTGY', 'CTGYPA', 'PARAM', 'PGRP', 'POPT'];
const REPORTING_SUB_OBJECTS = [
  'PTLTAB',
  'CALEND',
  'CLSEC',
  'EXTSEC',
  'PTLSEC',
  'UIFT',
  'UIGB',
  'UIVW',
  'PARAM',
];

/** objCode allowed in objectCollections → the objCodes its assembly may include (itself first). */
export const PROMOTABLE: Readonly<Record<string, readonly string[]>> = {
  PROJ: ['PROJ', 'TASK', 'ASSGN', 'PRED', ...WORK_SUB_OBJECTS],
  TMPL: ['TMPL', 'TTSK', 'TASSGN', 'TPRED', ...WORK_SUB_OBJECTS],
  UITMPL: ['UITMPL', 'GROUP', ...REPORTING_SUB_OBJECTS],
  PTLTAB: REPORTING_SUB_OBJECTS,
  CALEND: ['CALEND', 'CLSEC'],
  EXTSEC: ['EXTSEC'],
  PTLSEC: ['PTLSEC', 'UIFT', 'UIGB', 'UIVW', 'PARAM'],
  UIFT: ['UIFT', 'PARAM'],
  UIGB: ['UIGB', 'PARAM'],
  UIVW: ['UIVW', 'PARAM'],
  CTGY: [...FORM_SUB_OBJECTS, 'GROUP'],
  PARAM: ['PARAM', 'POPT'],
  PGRP: ['PGRP'],
  // A group's sub-groups are not promoted (the vendor's later pages), so no GROUP → GROUP traversal.
  GROUP: ['GROUP', ...FORM_SUB_OBJECTS],
  ROLE: ['ROLE'],
  TEAM: ['TEAM', 'GROUP'],
  CMPY: ['CMPY', ...FORM_SUB_OBJECTS, 'GROUP'],
  PORT: ['PORT', 'PRGM', 'GROUP', ...FORM_SUB_OBJECTS],
  PRGM: ['PRGM', 'PORT', 'GROUP', ...FORM_SUB_OBJECTS],
  ARVPRC: ['ARVPRC', 'ARVPTH', 'ARVSTP', 'SARVPR', 'ROLE', 'TEAM', 'GROUP'],
  SCHED: ['SCHED', 'NONWKD', 'GROUP'],
  MPATH: ['MPATH', 'MILE'],
  TSPRO: ['TSPRO', 'HOURT'],
  HOURT: ['HOURT'],
  EXPTYP: ['EXPTYP'],
  RSKTYP: ['RSKTYP'],
  RSPL: ['RSPL'],
  ACSLVL: ['ACSLVL'],
  RTCRD: ['RTCRD'],
  CLSF: ['CLSF'],
  BSNRUL: ['BSNRUL'],
};

/** Human names, used in failure reasons ("A group named … already exists"). */
const LABELS: Readonly<Record<string, string>> = {
  GROUP: 'group',
  ROLE: 'job role',
  TEAM: 'team',
  CMPY: 'company',
  ACSLVL: 'access level',
  HOURT: 'hour type',
  CTGY: 'custom form',
  PARAM: 'custom field',
  SCHED: 'schedule',
};

/**
 * Names unique per environment (seed 000: "Group names must be unique"); templates, projects, views, filters,
 * groupings, reports and dashboards allow duplicates, as do the child objects.
 */
export const UNIQUE_NAME_OBJCODES: ReadonlySet<string> = new Set(Object.keys(LABELS));

export function objCodeLabel(objCode: string): string {
  return LABELS[objCode] ?? objCode;
}

/**
 * Referenced objects before the objects referring to them, parents before children (seed 000's PUT example
 * orders GROUP, ROLE, TMPL, TTSK, TPRED, TASSGN, PROJ, QUED, RRUL, QUET, UIFT, UIGB, UIVW, PTLTAB).
 */
const INSTALL_ORDER: readonly string[] = [
  'ACSLVL',
  'GROUP',
  'ROLE',
  'TEAM',
  'CMPY',
  'RTCRD',
  'CLSF',
  'SCHED',
  'NONWKD',
  'HOURT',
  'TSPRO',
  'EXPTYP',
  'RSKTYP',
  'RSPL',
  'MPATH',
  'MILE',
  'PGRP',
  'PARAM',
  'POPT',
  'CTGY',
  'CTGYPA',
  'ARVPRC',
  'ARVPTH',
  'ARVSTP',
  'SARVPR',
  'PORT',
  'PRGM',
  'TMPL',
  'TTSK',
  'TPRED',
  'TASSGN',
  'PROJ',
  'TASK',
  'PRED',
  'ASSGN',
  'QUED',
  'QUTG',
  'RRUL',
  'QUET',
  'BSNRUL',
  'UIFT',
  'UIGB',
  'UIVW',
  'PTLSEC',
  'EXTSEC',
  'CALEND',
  'CLSEC',
  'PTLTAB',
  'UITMPL',
];

const ORDER_INDEX = new Map(INSTALL_ORDER.map((code, index) => [code, index]));

/** Sorts objCodes into install order; codes the catalog does not know go last, alphabetically. */
export function sortByInstallOrder(objCodes: Iterable<string>): string[] {
  const rank = (code: string) => ORDER_INDEX.get(code) ?? INSTALL_ORDER.length;
  return [...new Set(objCodes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
