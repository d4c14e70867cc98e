// Response schemas of the compliance and audit answers (services/compliance, docs/audit.md).
// fastify serializes with them and drops what they do not declare, so the integration tests
// compare the API's body with the function's own result: a field missing here fails a test.
import { THRESHOLD_KINDS } from '../core/compliance/types.ts';
import { NETWORK_TYPES } from '../core/wire/batch.ts';
import { object, type JsonSchema } from './schemas.ts';

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const num: JsonSchema = { type: 'number' };
const bool: JsonSchema = { type: 'boolean' };
const nullable = (s: JsonSchema): JsonSchema => ({ ...s, type: [s.type as string, 'null'] });
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const statusEnum = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });

const OUTCOMES = ['pass', 'fail', 'insufficient_data'];
const FLOW_STATUSES = [...OUTCOMES, 'no_profile'];
const LEVEL_STATUSES = [...FLOW_STATUSES, 'no_data'];
const VERIFICATION = ['V', 'S', 'U', 'D'];

export const statusCountsSchema = object({ pass: int, fail: int, insufficient_data: int, no_profile: int }, ['pass', 'fail', 'insufficient_data', 'no_profile']);
const levelFields = { verdict: statusEnum(LEVEL_STATUSES), flows: statusCountsSchema };

const thresholdResult = object(
  {
    threshold: statusEnum(THRESHOLD_KINDS),
    outcome: statusEnum(OUTCOMES),
    statistic: str,
    measured: nullable(num),
    measuredRange: { type: ['array', 'null'], items: num, minItems: 2, maxItems: 2 },
    bound: num,
    direction: statusEnum(['at_most', 'at_least']),
    unit: statusEnum(['ns', 'ratio', 'packets', 's']),
    method: statusEnum(['exact', 'bounds', 'none']),
    amount: num,
    minimumAmount: num,
    amountUnit: statusEnum(['packets', 'samples', 'ns']),
    statuses: { type: 'object', additionalProperties: statusEnum(VERIFICATION), description: 'verification status of each value field (V, S, U, D)' },
    unverified: bool,
    reason: str,
  },
  ['threshold', 'outcome', 'statistic', 'measured', 'measuredRange', 'bound', 'direction', 'unit', 'method', 'amount', 'minimumAmount', 'amountUnit', 'statuses', 'unverified', 'reason'],
);

export const verdictSchema = object(
  {
    profileId: str,
    profileVersion: int,
    verdict: statusEnum(OUTCOMES),
    thresholds: arrayOf(thresholdResult),
    unverified: arrayOf(str),
    sourceStatus: statusEnum(VERIFICATION),
    data: object({ windows: num, sentPackets: num, owdCount: num }, ['windows', 'sentPackets', 'owdCount']),
  },
  ['profileId', 'profileVersion', 'verdict', 'thresholds', 'unverified', 'sourceStatus', 'data'],
);

const flowResult = object(
  {
    siteId: str,
    deviceId: str,
    flowId: str,
    networkTypes: arrayOf(str),
    status: statusEnum(FLOW_STATUSES),
    profile: { anyOf: [{ type: 'null' }, object({ id: str, version: int, contentHash: str, origin: statusEnum(['explicit', 'enterprise', 'site', 'device', 'flow']) }, ['id', 'version', 'contentHash', 'origin'])] },
    problem: nullable(str),
    verdict: { anyOf: [{ type: 'null' }, verdictSchema] },
  },
  ['siteId', 'deviceId', 'flowId', 'networkTypes', 'status', 'profile', 'problem', 'verdict'],
);

const failedWindow = object(
  {
    siteId: str,
    deviceId: str,
    flowId: str,
    networkType: str,
    segmentId: str,
    windowStartNs: { type: 'string', description: 'Unix ns (decimal text)' },
    breaches: arrayOf(statusEnum(THRESHOLD_KINDS)),
    sentPackets: num,
    lostPackets: num,
    corruptPackets: num,
    owdCount: num,
    owdMaxNs: nullable(num),
    deadlineMissPackets: nullable(num),
    downtimeNs: nullable(num),
    lossBurstMaxPackets: num,
  },
  ['siteId', 'deviceId', 'flowId', 'networkType', 'segmentId', 'windowStartNs', 'breaches', 'sentPackets', 'lostPackets', 'corruptPackets', 'owdCount', 'owdMaxNs', 'deadlineMissPackets', 'downtimeNs', 'lossBurstMaxPackets'],
);

const fingerprint = object({ rows: str, windows: str, hash: str }, ['rows', 'windows', 'hash'], 'fingerprint of the rollup rows read');
const versions = object(
  {
    profiles: arrayOf(object({ id: str, version: int, contentHash: str }, ['id', 'version', 'contentHash'])),
    registryVersion: str,
    data: fingerprint,
    downtimeOrigin: { type: ['string', 'null'], enum: ['survival_expiry', 'first_failure', null] },
  },
  ['profiles', 'registryVersion', 'data', 'downtimeOrigin'],
);
const slices = arrayOf(object({ period: statusEnum(['1h', '1d']), fromNs: str, toNs: str }, ['period', 'fromNs', 'toNs']));

export const enterpriseComplianceSchema = object(
  {
    kind: { type: 'string', enum: ['enterprise_compliance'] },
    request: object(
      {
        enterpriseId: str,
        fromNs: str,
        toNs: str,
        profile: { anyOf: [{ type: 'null' }, object({ id: str, version: int }, ['id', 'version'])] },
        asOf: str,
        failedWindowsLimit: int,
      },
      ['enterpriseId', 'fromNs', 'toNs', 'profile', 'asOf', 'failedWindowsLimit'],
    ),
    slices,
    enterprise: object({ enterpriseId: str, name: str, region: str, industry: str, ...levelFields }, ['enterpriseId', 'name', 'region', 'industry', 'verdict', 'flows']),
    sites: arrayOf(object({ siteId: str, ...levelFields }, ['siteId', 'verdict', 'flows'])),
    devices: arrayOf(object({ siteId: str, deviceId: str, ...levelFields }, ['siteId', 'deviceId', 'verdict', 'flows'])),
    flows: arrayOf(flowResult),
    failedWindows: object({ limit: int, total: int, windows: arrayOf(failedWindow) }, ['limit', 'total', 'windows']),
    unverified: arrayOf(str),
    versions,
    contentHash: str,
  },
  ['kind', 'request', 'slices', 'enterprise', 'sites', 'devices', 'flows', 'failedWindows', 'unverified', 'versions', 'contentHash'],
  "one enterprise's compliance over the period (docs/audit.md)",
);

const programmeRow = object(
  {
    enterpriseId: str,
    name: str,
    region: str,
    industry: str,
    networkTypes: arrayOf(str),
    profiles: arrayOf(str),
    status: statusEnum(LEVEL_STATUSES),
    flows: object({ ...(statusCountsSchema.properties as Record<string, JsonSchema>), total: int }, ['pass', 'fail', 'insufficient_data', 'no_profile', 'total']),
    failingThresholds: arrayOf(statusEnum(THRESHOLD_KINDS)),
    unverified: bool,
    windows: num,
    sentPackets: num,
    lostPackets: num,
    lossRatio: nullable(num),
    owdMaxNs: nullable(num),
    worstAvailability: nullable(num),
  },
  ['enterpriseId', 'name', 'region', 'industry', 'networkTypes', 'profiles', 'status', 'flows', 'failingThresholds', 'unverified', 'windows', 'sentPackets', 'lostPackets', 'lossRatio', 'owdMaxNs', 'worstAvailability'],
);

export const programmeAuditSchema = object(
  {
    kind: { type: 'string', enum: ['programme_audit'] },
    request: object(
      {
        fromNs: str,
        toNs: str,
        filters: object(
          { region: nullable(str), industry: nullable(str), networkType: { type: ['string', 'null'], enum: [...NETWORK_TYPES, null] }, profileId: nullable(str) },
          ['region', 'industry', 'networkType', 'profileId'],
        ),
        asOf: str,
      },
      ['fromNs', 'toNs', 'filters', 'asOf'],
    ),
    slices,
    rows: arrayOf(programmeRow),
    rowsSha256: { type: 'string', description: '"sha256:" of the canonical JSON of rows (the content hash covers the rows through it)' },
    summary: object(
      {
        enterprises: int,
        status: object(Object.fromEntries(LEVEL_STATUSES.map((s) => [s, int])), LEVEL_STATUSES),
        flows: statusCountsSchema,
        unregisteredWithData: int,
      },
      ['enterprises', 'status', 'flows', 'unregisteredWithData'],
    ),
    versions,
    contentHash: str,
  },
  ['kind', 'request', 'slices', 'rows', 'rowsSha256', 'summary', 'versions', 'contentHash'],
  'every registered enterprise with its status over the period (docs/audit.md)',
);

export const auditRunSchema = object(
  {
    runId: str,
    kind: statusEnum(['enterprise_compliance', 'programme_audit']),
    request: { anyOf: [(enterpriseComplianceSchema.properties as Record<string, JsonSchema>).request, (programmeAuditSchema.properties as Record<string, JsonSchema>).request], description: 'the resolved request as recorded' },
    registryVersion: str,
    profiles: arrayOf(object({ id: str, version: int, contentHash: str }, ['id', 'version', 'contentHash'])),
    data: fingerprint,
    downtimeOrigin: { type: ['string', 'null'], enum: ['survival_expiry', 'first_failure', null] },
    contentHash: str,
    format: str,
    createdAtS: int,
  },
  ['runId', 'kind', 'request', 'registryVersion', 'profiles', 'data', 'downtimeOrigin', 'contentHash', 'format', 'createdAtS'],
);

const hashes = object({ contentHash: str, data: fingerprint, format: str }, ['contentHash', 'data', 'format']);
export const runComparisonSchema = object(
  {
    runId: str,
    same: bool,
    stored: hashes,
    recomputed: { anyOf: [{ type: 'null' }, hashes] },
    reasons: arrayOf(str),
    result: { anyOf: [{ type: 'null' }, enterpriseComplianceSchema, programmeAuditSchema] },
  },
  ['runId', 'same', 'stored', 'recomputed', 'reasons', 'result'],
  'the stored run recomputed as of its registry version and profile versions, and why it differs',
);

// ---- upgrade validation (services/adapters/clickhouse/upgrade-queries.ts, docs/upgrade-validation.md)

const interval = { anyOf: [{ type: 'null' }, object({ low: num, high: num }, ['low', 'high'])] };
const metricChange = object(
  {
    metric: str,
    label: str,
    unit: statusEnum(['ns', 'ratio']),
    better: statusEnum(['lower', 'higher']),
    baseline: nullable(num),
    after: nullable(num),
    change: nullable(num),
    relativeChange: nullable(num),
    ci: interval,
    relativeCi: interval,
    verdict: statusEnum(['improved', 'unchanged', 'regressed', 'insufficient_data']),
    reason: str,
    baselineBlocks: int,
    afterBlocks: int,
    baselineAmount: num,
    afterAmount: num,
    amountUnit: statusEnum(['samples', 'packets', 'ns']),
    minimumAmount: num,
  },
  ['metric', 'label', 'unit', 'better', 'baseline', 'after', 'change', 'relativeChange', 'ci', 'relativeCi', 'verdict', 'reason', 'baselineBlocks', 'afterBlocks', 'baselineAmount', 'afterAmount', 'amountUnit', 'minimumAmount'],
);
const periodSummary = object({ fromNs: str, toNs: str, blockNs: str, blocks: int, windows: num }, ['fromNs', 'toNs', 'blockNs', 'blocks', 'windows']);
const delayBucket = object({ key: int, lowerNs: num, upperNs: num, valueNs: num, count: num }, ['key', 'lowerNs', 'upperNs', 'valueNs', 'count']);
const flowFigures = object(
  { windows: num, sentPackets: num, owdP99Ns: nullable(num), pdvP99Ns: nullable(num), lossRatio: nullable(num), availability: nullable(num) },
  ['windows', 'sentPackets', 'owdP99Ns', 'pdvP99Ns', 'lossRatio', 'availability'],
);

export const upgradeValidationSchema = object(
  {
    scope: object({ enterpriseId: str, siteId: nullable(str) }, ['enterpriseId', 'siteId']),
    baseline: periodSummary,
    after: periodSummary,
    comparison: object(
      {
        method: object(
          { name: str, resamples: int, seed: int, confidenceLevel: num, minimumBlocks: int, baselineBlockNs: num, afterBlockNs: num },
          ['name', 'resamples', 'seed', 'confidenceLevel', 'minimumBlocks', 'baselineBlockNs', 'afterBlockNs'],
        ),
        metrics: arrayOf(metricChange),
      },
      ['method', 'metrics'],
    ),
    delayHistogram: object({ baseline: arrayOf(delayBucket), after: arrayOf(delayBucket) }, ['baseline', 'after']),
    series: arrayOf(
      object(
        { period: statusEnum(['baseline', 'after']), startNs: str, windows: num, owdP50Ns: nullable(num), owdP99Ns: nullable(num), pdvP99Ns: nullable(num), lossRatio: nullable(num), availability: nullable(num) },
        ['period', 'startNs', 'windows', 'owdP50Ns', 'owdP99Ns', 'pdvP99Ns', 'lossRatio', 'availability'],
      ),
    ),
    worstFlows: arrayOf(
      object(
        { siteId: str, networkType: str, segmentId: str, deviceId: str, flowId: str, after: flowFigures, baseline: { anyOf: [{ type: 'null' }, flowFigures] } },
        ['siteId', 'networkType', 'segmentId', 'deviceId', 'flowId', 'after', 'baseline'],
      ),
    ),
    profile: { anyOf: [{ type: 'null' }, object({ baseline: verdictSchema, after: verdictSchema }, ['baseline', 'after'])] },
  },
  ['scope', 'baseline', 'after', 'comparison', 'delayHistogram', 'series', 'worstFlows', 'profile'],
  'baseline vs after for the enterprise (or one site): every metric with its bootstrap interval and verdict (docs/upgrade-validation.md)',
);
