/** Why the workspace needs `pnpm run build` before its dist/ can run, or undefined when every package's dist/ is newer than its inputs. */
export declare function staleDistReason(root: string): string | undefined;
