import { openPromise } from 'yauzl';

/** Reads every entry of a zip with an independent reader. */
export async function readZip(file: string): Promise<Map<string, string>> {
  const zip = await openPromise(file, { lazyEntries: true });
  const out = new Map<string, string>();
  try {
    for await (const entry of zip.eachEntry()) {
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    zip.close();
  }
  return out;
}
