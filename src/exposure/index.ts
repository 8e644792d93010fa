export { externalReachability, type ExternalReachability } from './reachability.js';
export { analyzeExposure, type ExposureAnalysis } from './analysis.js';
export type { AuthState, AuthVerdict, Exposure, Reach, ReachLevel, TargetKind } from './types.js';
