import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * ECharts' minified UMD build, ready to sit inside a `<script>` element: the report must work offline, so
 * the library is inlined rather than loaded from a CDN. Read once per process (it is about 1 MB).
 */
export const echartsSource = (): string => {
  if (cached === undefined) {
    const path = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
    // `</script` cannot occur in valid code outside a string or regex, and inside those `<\/` means the same
    cached = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return cached;
};
