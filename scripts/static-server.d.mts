export declare function startStaticServer(options: { root: string; port?: number; host?: string }): Promise<{
  url: string;
  port: number;
  close: () => Promise<void>;
}>;
