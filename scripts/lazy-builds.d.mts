export const BUILT_IN_CONNECTORS: string[];
export function lazyBuilds(): Record<string, { entry: string; file: string; single?: boolean; kit?: boolean }>;
