/**
 * `model-care` exactly as users run it, plus one line on stderr at exit with the process's peak RSS and CPU
 * time (all threads), which a parent process cannot read from node. quality-bench.ts bundles it with esbuild
 * and runs `node quality-cli.mjs quality ...` as the whole process it times.
 */
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(
    `${JSON.stringify({
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMs: (cpu.user + cpu.system) / 1000,
    })}\n`,
  );
});

await import('../bin/cli.ts');

export {};
