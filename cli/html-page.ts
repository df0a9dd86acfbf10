import { writeFile } from 'node:fs/promises';
import { InputError } from '../functions/engine/errors.ts';

/** Writes a page to `--html FILE`; a path that cannot be written is the user's to fix (exit 2, one line). */
export const writeHtmlPage = async (file: string, html: string): Promise<void> => {
  try {
    await writeFile(file, html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: 'its directory does not exist',
      EISDIR: 'is a directory',
      EACCES: 'permission denied',
      EROFS: 'read-only file system',
    };
    throw new InputError({ file }, `cannot write the page: ${reasons[code ?? ''] ?? code ?? String(error)}`);
  }
};
