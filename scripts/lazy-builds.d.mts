export function lazyBuilds(): Record<string, { entry: string; file: string }>;
