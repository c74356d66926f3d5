// Default records of the three environments, with stable ids (several taken from the seeds' examples), and
// generators of large sets for the benchmark.
//
// Production is the origin: the sandboxes share its base records, ids included, as copies of it do. The Preview
// sandbox holds the agency work of the seeds' examples; production already has some of those names under other
// ids ("New Agency Offboarding", the "Agency Services" group, the roles of seed 000's installation example), so a
// pre-run into production mixes USEEXISTING and CREATE, and forcing CREATE on that group fails.
import { createHash, randomUUID } from 'node:crypto';
import type { ObjectCollection } from '../src/api/types.js';
import type { RecordTable, Reference, SimRecord } from './records.js';

export const SEED = {
  /** The customer and user of seed 000's package example. */
  customerId: '61aa9d090005fa42152c1cb66659f38d',
  userId: '61aa9d0e0005fcee8f212835bdaa2619',
  /** In every environment, same ids. */
  base: {
    defaultGroup: '52aa9d0e0005fcee8f212835bdaa2691',
    marketingGroup: '5ba38da500b752b0f46d13186030b7ad',
    accountManagerRole: '5f6d114f0068832098280000000a0001',
    exampleDocumentForm: '62d9c9a0000013aeeefe7242a0a5fdb2',
    assetDetailSection: '62d1eee4001c6618e6b9f9a588ba1598',
    assetTypeField: '62d1eee400f8578895166ee91a83f97a',
    keywordsField: '62d1eee50001407c713514a8970b58e4',
    targetAudienceField: '62d9c990006258baf1b40f2569c3eab7',
    portfolioCostReport: '4bb80aa88a96420296a7f47bf866f162',
    portfolioCostView: '109f611680bb3a2b0c0a8c1f5ec63f6d',
    portfolioCostGrouping: 'edb4c6c127d38910e4860eb25569a5cc',
    portfolioCostFilter: 'f97b662e229fd09ee595d8d359ec88bd',
    asyncListPage: '65f8637900015e4dceb6fe079bd5409d',
  },
  /** Preview sandbox: the source of seed 000's create example. */
  preview: {
    agencyRequestProject: '6419b8b9001151ee258921a4f7597ba1',
    newAgencyOnboardingTemplate: '6419b8b9001151ee258921a4f7597bb2',
    newAgencyOffboardingTemplate: '6419b8b9001151ee258921a4f7597bc3',
    agencyPerformanceDashboard: '645e6435000b4aaebe4776f4a42ed5ad',
    agencyOnboardingReport: '645e6435000b4aaebe4776f4a42e0001',
    agencyServicesGroup: '6419b8b9000a1b2c3d4e5f6a7b8c0001',
    agencyPartnersGroup: '6419b8b9000a1b2c3d4e5f6a7b8c0002',
    damCuratorRole: '5f6d114f006883209828ddd9088e63b3',
    copywriterRole: 'ad535a9ebe647361e053a7656a0a1575',
    agencyLiaisonRole: '6419b8b9000a1b2c3d4e5f6a7b8c0003',
    agencyIntakeForm: '6419b8b9000a1b2c3d4e5f6a7b8c0004',
    agencyTierField: '6419b8b9000a1b2c3d4e5f6a7b8c0005',
    agencyDetailsSection: '6419b8b9000a1b2c3d4e5f6a7b8c0006',
  },
  /** Production: same names as Preview records, other ids. */
  production: {
    agencyServicesGroup: '600f0a1b00028a718599f29575840001',
    damCuratorRole: '600f4bed00028a718599f29575840053',
    copywriterRole: '600f162700001ca051081c06667b14a4',
    newAgencyOffboardingTemplate: '600f0a1b00028a718599f29575840002',
  },
  /** Custom Refresh sandbox `sb01`. */
  sandbox: {
    clientCampaignLaunchTemplate: '6500c0de0001a2b3c4d5e6f7a8b90001',
    campaignOpsGroup: '6500c0de0001a2b3c4d5e6f7a8b90002',
    campaignDashboard: '6500c0de0001a2b3c4d5e6f7a8b90003',
    campaignReport: '6500c0de0001a2b3c4d5e6f7a8b90004',
  },
} as const;

const uses = (objCode: string, id: string, field: string): Reference => ({
  objCode,
  id,
  field,
  relation: 'uses',
});
const parent = (objCode: string, id: string, field: string): Reference => ({
  objCode,
  id,
  field,
  relation: 'parent',
});

/** A stable id for a seeded child record: the same in every run and every environment. */
function childId(parentId: string, objCode: string, name: string): string {
  return createHash('md5').update(`${parentId}/${objCode}/${name}`).digest('hex');
}

class Seeder {
  constructor(private readonly table: RecordTable) {}

  add(
    objCode: string,
    id: string,
    name: string,
    references: Reference[] = [],
    fields: Record<string, unknown> = {},
  ): string {
    this.table.put({ objCode, id, name, description: null, fields, references });
    return id;
  }

  child(
    objCode: string,
    owner: Reference,
    name: string,
    references: Reference[] = [],
    fields: Record<string, unknown> = {},
  ): string {
    return this.add(objCode, childId(owner.id, objCode, name), name, [owner, ...references], fields);
  }

  /** A template and its tasks: one assignment per task (a role), a finish-start chain of predecessors. */
  template(
    id: string,
    name: string,
    groupId: string,
    tasks: Array<[task: string, roleId: string]>,
    formId?: string,
  ) {
    const refs = [uses('GROUP', groupId, 'groupID')];
    if (formId) refs.push(uses('CTGY', formId, 'categoryID'));
    this.add('TMPL', id, name, refs, { isActive: true, planningDurationMinutes: tasks.length * 480 });
    let previous: string | undefined;
    tasks.forEach(([task, roleId], index) => {
      const taskId = this.child('TTSK', parent('TMPL', id, 'templateID'), task, [], {
        taskNumber: index + 1,
      });
      this.child('TASSGN', parent('TTSK', taskId, 'templateTaskID'), `${task} / assignment`, [
        uses('ROLE', roleId, 'roleID'),
      ]);
      if (previous)
        this.child('TPRED', parent('TTSK', taskId, 'successorID'), `${task} / predecessor`, [
          uses('TTSK', previous, 'predecessorID'),
        ]);
      previous = taskId;
    });
    return id;
  }

  /** A custom form with its fields (in one section) and their options. */
  form(
    id: string,
    name: string,
    groupId: string,
    sectionId: string,
    fields: Array<[field: string, id: string, options?: string[]]>,
  ) {
    this.add('CTGY', id, name, [uses('GROUP', groupId, 'groupID')], { catObjCode: 'PROJ' });
    for (const [fieldName, fieldId, options] of fields) {
      this.add('PARAM', fieldId, fieldName, [], { dataType: options ? 'STRG' : 'TEXT' });
      for (const option of options ?? []) this.child('POPT', parent('PARAM', fieldId, 'parameterID'), option);
      this.child('CTGYPA', parent('CTGY', id, 'categoryID'), fieldName, [
        uses('PARAM', fieldId, 'parameterID'),
        uses('PGRP', sectionId, 'parameterGroupID'),
      ]);
    }
  }

  /** A report with its own view, filter and grouping. */
  report(id: string, name: string) {
    const view = this.add('UIVW', childId(id, 'UIVW', name), name, [], { objCode: 'PROJ' });
    const filter = this.add('UIFT', childId(id, 'UIFT', name), name, [], { objCode: 'PROJ' });
    const grouping = this.add('UIGB', childId(id, 'UIGB', name), name, [], { objCode: 'PROJ' });
    this.add(
      'PTLSEC',
      id,
      name,
      [
        uses('UIVW', view, 'uiViewID'),
        uses('UIFT', filter, 'uiFilterID'),
        uses('UIGB', grouping, 'uiGroupByID'),
      ],
      { reportObjCode: 'PROJ' },
    );
  }
}

function seedBase(seeder: Seeder): void {
  const { base } = SEED;
  seeder.add('GROUP', base.defaultGroup, 'Default Group', [], { isPublic: true, isActive: true });
  seeder.add('GROUP', base.marketingGroup, 'Marketing', [], { isPublic: true, isActive: true });
  seeder.add('ROLE', base.accountManagerRole, 'Account Manager', [], { isActive: true });
  seeder.add('PGRP', base.assetDetailSection, 'Asset Detail');
  seeder.form(base.exampleDocumentForm, 'Example Document Form', base.defaultGroup, base.assetDetailSection, [
    ['Asset Type', base.assetTypeField, ['Image', 'Video', 'Document']],
    ['Keywords', base.keywordsField],
    ['Target Audience', base.targetAudienceField, ['B2B', 'B2C']],
  ]);
  seeder.add('UIVW', base.portfolioCostView, 'Actual Portfolio Cost by Program', [], { objCode: 'PORT' });
  seeder.add('UIGB', base.portfolioCostGrouping, 'Actual Portfolio Cost by Program', [], { objCode: 'PORT' });
  seeder.add('UIFT', base.portfolioCostFilter, 'Actual Portfolio Cost by Program', [], { objCode: 'PORT' });
  seeder.add(
    'PTLSEC',
    base.portfolioCostReport,
    'Actual Portfolio Cost by Program',
    [
      uses('UIVW', base.portfolioCostView, 'uiViewID'),
      uses('UIFT', base.portfolioCostFilter, 'uiFilterID'),
      uses('UIGB', base.portfolioCostGrouping, 'uiGroupByID'),
    ],
    { reportObjCode: 'PORT' },
  );
  seeder.add('EXTSEC', base.asyncListPage, 'Asnyc List', [], { url: 'https://example.com/agencies' });
}

function seedPreview(seeder: Seeder): void {
  const { base, preview: p } = SEED;
  seeder.add('GROUP', p.agencyServicesGroup, 'Agency Services', [], { isPublic: true, isActive: true });
  seeder.add('GROUP', p.agencyPartnersGroup, 'Agency Partners', [], { isPublic: false, isActive: true });
  seeder.add('ROLE', p.damCuratorRole, 'DAM Curator', [], { isActive: true });
  seeder.add('ROLE', p.copywriterRole, 'Copywriter', [], { isActive: true });
  seeder.add('ROLE', p.agencyLiaisonRole, 'Agency Liaison', [], { isActive: true });
  seeder.add('PGRP', p.agencyDetailsSection, 'Agency Details');
  seeder.form(p.agencyIntakeForm, 'Agency Intake Form', p.agencyServicesGroup, p.agencyDetailsSection, [
    ['Agency Tier', p.agencyTierField, ['Gold', 'Silver', 'Bronze']],
    ['Onboarding Start Date', childId(p.agencyIntakeForm, 'PARAM', 'Onboarding Start Date')],
  ]);
  seeder.template(
    p.newAgencyOnboardingTemplate,
    'New Agency Onboarding',
    p.agencyServicesGroup,
    [
      ['Kickoff meeting', base.accountManagerRole],
      ['Collect agency documents', p.agencyLiaisonRole],
      ['Set up agency access', p.damCuratorRole],
      ['Brief the copywriters', p.copywriterRole],
      ['Onboarding review', base.accountManagerRole],
    ],
    p.agencyIntakeForm,
  );
  const queue = seeder.child(
    'QUED',
    parent('TMPL', p.newAgencyOnboardingTemplate, 'templateID'),
    'Agency Onboarding Requests',
    [uses('GROUP', p.agencyServicesGroup, 'groupID')],
  );
  const topicGroup = seeder.child('QUTG', parent('QUED', queue, 'queueDefID'), 'Onboarding');
  for (const topic of ['New agency', 'Agency change'])
    seeder.child('QUET', parent('QUED', queue, 'queueDefID'), topic, [
      uses('QUTG', topicGroup, 'queueTopicGroupID'),
      uses('GROUP', p.agencyServicesGroup, 'defaultRouteGroupID'),
    ]);
  seeder.child('RRUL', parent('QUED', queue, 'queueDefID'), 'Route to Agency Services', [
    uses('GROUP', p.agencyServicesGroup, 'defaultAssignedGroupID'),
    uses('ROLE', p.agencyLiaisonRole, 'roleID'),
  ]);
  seeder.template(p.newAgencyOffboardingTemplate, 'New Agency Offboarding', base.marketingGroup, [
    ['Revoke access', p.damCuratorRole],
    ['Final invoice', base.accountManagerRole],
    ['Archive documents', p.copywriterRole],
  ]);
  seeder.add('PROJ', p.agencyRequestProject, 'Agency Request', [
    uses('GROUP', p.agencyServicesGroup, 'groupID'),
    uses('CTGY', p.agencyIntakeForm, 'categoryID'),
  ]);
  for (const task of ['Review request', 'Approve agency']) {
    const taskId = seeder.child('TASK', parent('PROJ', p.agencyRequestProject, 'projectID'), task);
    seeder.child('ASSGN', parent('TASK', taskId, 'taskID'), `${task} / assignment`, [
      uses('ROLE', base.accountManagerRole, 'roleID'),
    ]);
  }
  seeder.report(p.agencyOnboardingReport, 'Agency Onboarding Status');
  seeder.add('PTLTAB', p.agencyPerformanceDashboard, 'Agency Performance and Readiness', [
    uses('PTLSEC', base.portfolioCostReport, 'portalSectionIDs'),
    uses('PTLSEC', p.agencyOnboardingReport, 'portalSectionIDs'),
    uses('EXTSEC', base.asyncListPage, 'portalSectionIDs'),
  ]);
}

function seedProduction(seeder: Seeder): void {
  const { base, production: prod } = SEED;
  seeder.add('GROUP', prod.agencyServicesGroup, 'Agency Services', [], { isPublic: true, isActive: true });
  seeder.add('ROLE', prod.damCuratorRole, 'DAM Curator', [], { isActive: true });
  seeder.add('ROLE', prod.copywriterRole, 'Copywriter', [], { isActive: true });
  seeder.template(prod.newAgencyOffboardingTemplate, 'New Agency Offboarding', base.marketingGroup, [
    ['Revoke access', prod.damCuratorRole],
    ['Final invoice', base.accountManagerRole],
  ]);
}

function seedSandbox(seeder: Seeder): void {
  const { base, sandbox: sb } = SEED;
  seeder.add('GROUP', sb.campaignOpsGroup, 'Campaign Ops', [], { isPublic: true, isActive: true });
  seeder.template(sb.clientCampaignLaunchTemplate, 'Client Campaign Launch', sb.campaignOpsGroup, [
    ['Campaign brief', base.accountManagerRole],
    ['Creative review', base.accountManagerRole],
    ['Launch', base.accountManagerRole],
  ]);
  seeder.report(sb.campaignReport, 'Campaign Performance');
  seeder.add('PTLTAB', sb.campaignDashboard, 'Campaign Dashboard', [
    uses('PTLSEC', sb.campaignReport, 'portalSectionIDs'),
  ]);
}

export function seedEnvironments(tables: {
  production: RecordTable;
  preview: RecordTable;
  sandbox: RecordTable;
}) {
  for (const table of Object.values(tables)) seedBase(new Seeder(table));
  seedProduction(new Seeder(tables.production));
  seedPreview(new Seeder(tables.preview));
  seedSandbox(new Seeder(tables.sandbox));
}

/** A record for `control.seedRecords`: the id is generated when missing. */
export interface SeedRecordInput {
  id?: string;
  name: string;
  description?: string | null;
  fields?: Record<string, unknown>;
  references?: Reference[];
}

export function seedRecords(table: RecordTable, objCode: string, inputs: SeedRecordInput[]): SimRecord[] {
  return inputs.map((input) => {
    const record: SimRecord = {
      objCode,
      id: input.id ?? randomUUID().replaceAll('-', ''),
      name: input.name,
      description: input.description ?? null,
      fields: input.fields ?? {},
      references: input.references ?? [],
    };
    table.put(record);
    return record;
  });
}

export interface GeneratedTemplates {
  templateIds: string[];
  /** Ready for `POST /packages`. */
  objectCollections: ObjectCollection[];
  /** Records a package of these templates holds: the templates, their tasks, their group and role. */
  recordCount: number;
}

/**
 * `count` templates of `tasksPerTemplate` tasks each (each task assigned the base role, each template in the
 * default group): a package of them holds count × (1 + tasksPerTemplate) + 2 records.
 */
export function generateTemplates(
  table: RecordTable,
  count: number,
  tasksPerTemplate: number,
  namePrefix = 'Generated Template',
): GeneratedTemplates {
  const templateIds: string[] = [];
  const batch = randomUUID().replaceAll('-', '').slice(0, 12);
  for (let t = 0; t < count; t++) {
    // Ids are unique across objCodes, as GUIDs are: templates and tasks differ in the 13th digit.
    const id = `${batch}0${t.toString(16).padStart(19, '0')}`;
    templateIds.push(id);
    table.put({
      objCode: 'TMPL',
      id,
      name: `${namePrefix} ${t + 1}`,
      description: null,
      fields: { isActive: true },
      references: [uses('GROUP', SEED.base.defaultGroup, 'groupID')],
    });
    for (let k = 0; k < tasksPerTemplate; k++)
      table.put({
        objCode: 'TTSK',
        id: `${batch}1${t.toString(16).padStart(11, '0')}${k.toString(16).padStart(8, '0')}`,
        name: `Task ${k + 1}`,
        description: null,
        fields: { taskNumber: k + 1 },
        references: [parent('TMPL', id, 'templateID'), uses('ROLE', SEED.base.accountManagerRole, 'roleID')],
      });
  }
  return {
    templateIds,
    objectCollections: [{ objCode: 'TMPL', entities: templateIds.map((ID) => ({ ID })) }],
    recordCount: count * (1 + tasksPerTemplate) + 2,
  };
}
