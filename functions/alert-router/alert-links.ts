import { fleetDashboardName } from '../shared/telemetry.ts';

/** console links for a person reading an alert: the report object and the stack's dashboard (pick the model there) */
export interface AlertLinks {
  readonly region: string;
  readonly dashboardPrefix: string;
}

export const s3ConsoleLink = (uri: string, region: string): string | undefined => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return undefined;
  const [, bucket, key] = match;
  return `https://s3.console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${encodeURIComponent(key ?? '')}`;
};

export const dashboardLink = (links: AlertLinks): string =>
  `https://${links.region}.console.aws.amazon.com/cloudwatch/home?region=${links.region}#dashboards:name=${encodeURIComponent(
    fleetDashboardName(links.dashboardPrefix),
  )}`;
