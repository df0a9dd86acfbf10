import { relative } from 'node:path';
import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';

/**
 * One line per type a public entry's declarations reach but do not export (api-extractor's
 * `ae-forgotten-export`): a consumer would meet the type in an editor and could not name or import it, since
 * the exports map hides the module that declares it.
 *
 * `projectFolder` must not lie under node_modules: api-extractor takes what is there for external packages.
 */
export const apiLeaks = (projectFolder: string, entry: string): string[] => {
  const config = ExtractorConfig.prepare({
    configObject: {
      mainEntryPointFilePath: `${projectFolder}/${entry}`,
      projectFolder,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
          },
        },
      },
      apiReport: { enabled: false, reportFileName: '<unscopedPackageName>.api.md' },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: `${projectFolder}/package.json`,
  });
  const leaks: string[] = [];
  Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (message: ExtractorMessage) => {
      // only the one finding this check is about; the rest (release tags, TSDoc style) is not a leak
      message.handled = true;
      if (message.messageId !== 'ae-forgotten-export') return;
      const where = message.sourceFilePath
        ? `${relative(projectFolder, message.sourceFilePath)}:${message.sourceFileLine ?? '?'}`
        : entry;
      leaks.push(`${entry} leaks an internal type: ${message.text.replace(/\s+/g, ' ')} (${where})`);
    },
  });
  return leaks;
};
