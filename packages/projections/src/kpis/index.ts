export {
  type AttributionForKpis,
  computeKpis,
  KPI_NAMES,
  type Kpi,
  type KpiName,
  type KpiOptions,
  type KpiReport,
} from './kpis.ts';
