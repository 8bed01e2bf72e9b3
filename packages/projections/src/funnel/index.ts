export { computeFunnel, type FunnelStages } from './funnel.ts';
