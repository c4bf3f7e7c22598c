/**
 * Reads what a Windows DLL (a Node addon's .node file) is: its machine, and the functions it
 * imports, delay-loaded ones included (node-gyp links addons to node.exe by delay load). A
 * Node-API addon imports `napi_*` functions and no V8 C++ symbol, so one binary loads in every
 * Node and Electron version; an addon against V8's C++ API imports mangled `?…@v8@@` names.
 */

export const MACHINE_X64 = 0x8664;
const DLL = 0x2000;

export interface PeImage {
  machine: number;
  isDll: boolean;
  /** Every imported function name (by name, not ordinal), from both import tables. */
  imports: string[];
}

export function readPeImage(data: Buffer): PeImage {
  if (data.length < 64 || data.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file (no MZ)');
  const pe = data.readUInt32LE(0x3c);
  if (data.readUInt32LE(pe) !== 0x4550) throw new Error('not a PE file (no PE signature)');
  const coff = pe + 4;
  const sectionCount = data.readUInt16LE(coff + 2);
  const optional = coff + 20;
  const pe32Plus = data.readUInt16LE(optional) === 0x20b;
  const directories = optional + (pe32Plus ? 112 : 96);
  const sections = optional + data.readUInt16LE(coff + 16);
  const directory = (index: number) => data.readUInt32LE(directories + 8 * index);
  const offset = (rva: number): number => {
    for (let i = 0; i < sectionCount; i++) {
      const at = sections + 40 * i;
      const start = data.readUInt32LE(at + 12);
      const size = Math.max(data.readUInt32LE(at + 8), data.readUInt32LE(at + 16));
      if (rva >= start && rva < start + size) return data.readUInt32LE(at + 20) + rva - start;
    }
    throw new Error(`address 0x${rva.toString(16)} is in no section`);
  };
  const text = (rva: number) => {
    const at = offset(rva);
    return data.toString('latin1', at, data.indexOf(0, at));
  };
  /** The names in a table of import thunks (an ordinal has the top bit set). */
  const names = (rva: number): string[] => {
    const out: string[] = [];
    const width = pe32Plus ? 8 : 4;
    for (let at = offset(rva); ; at += width) {
      const thunk = pe32Plus ? data.readBigUInt64LE(at) : BigInt(data.readUInt32LE(at));
      if (thunk === 0n) return out;
      if (thunk >> BigInt(width * 8 - 1) === 0n) out.push(text(Number(thunk & 0x7fffffffn) + 2));
    }
  };
  const imports: string[] = [];
  if (directory(1) !== 0) {
    for (let at = offset(directory(1)); data.readUInt32LE(at + 12) !== 0; at += 20) {
      imports.push(...names(data.readUInt32LE(at) || data.readUInt32LE(at + 16)));
    }
  }
  if (directory(13) !== 0) {
    for (let at = offset(directory(13)); data.readUInt32LE(at + 4) !== 0; at += 32) {
      imports.push(...names(data.readUInt32LE(at + 16)));
    }
  }
  const characteristics = data.readUInt16LE(coff + 18);
  return { machine: data.readUInt16LE(coff), isDll: (characteristics & DLL) !== 0, imports };
}

/** Whether the image is a Node-API addon: it uses Node-API and nothing of V8's C++ API. */
export function isNodeApiAddon(image: PeImage): boolean {
  return (
    image.imports.some((name) => name.startsWith('napi_')) &&
    !image.imports.some((name) => name.includes('@v8@@'))
  );
}
