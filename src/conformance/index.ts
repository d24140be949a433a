// `check`: a suite of deliveries that grades how a receiver verifies signatures.
export {
  buildSuite,
  reserializeBody,
  SKEW_SECONDS,
  SLOW_CASE_ID,
  tamperBody,
  type CaseDefinition,
  type Expectation,
  type SuiteOptions,
} from './cases.js';
export { gradeCase, type CaseResult } from './grade.js';
export { escapeXml, toJUnitXml, type JUnitInput } from './junit.js';
export { renderReport } from './render.js';
export { DEFAULT_GAP_MS, DEFAULT_SLOW_MS, runSuite, type RunSuiteOptions, type SuiteReport } from './suite.js';
