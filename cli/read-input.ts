import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import { type ProfiledSources, profileSources } from '../functions/engine/profile/profile-sources.ts';
import { listInputFiles, openFile } from '../functions/engine/readers/byte-source.ts';
import type { TableFormat, TableSchema } from '../functions/engine/readers/table.ts';
import { createProgress } from './progress.ts';

export interface InputOptions {
  readonly format?: TableFormat | 'auto';
  readonly header?: boolean | 'auto';
  readonly schema?: TableSchema;
  readonly quiet: boolean;
}

/** Profiles a file or every file under a directory, with a progress bar. */
export const profilePath = async (
  path: string,
  options: InputOptions,
  label: string,
): Promise<ProfiledSources & { malformed: MalformedLog; files: string[] }> => {
  const files = await listInputFiles(path);
  const malformed = new MalformedLog();
  const progress = createProgress(options.quiet, label);
  try {
    const result = await profileSources(
      files.map((file) => ({ name: file, open: () => openFile(file) })),
      {
        format: options.format,
        header: options.header,
        schema: options.schema,
        malformed,
        onProgress: (p) => progress.update(p),
      },
    );
    return { ...result, malformed, files };
  } finally {
    progress.stop();
  }
};
