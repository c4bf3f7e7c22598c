import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, CONFIG_RULES, isConfigKey, validateConfigLayer } from '../../src/core/config';
import { ADML_PATH, ADMX_PATH, renderAdml, renderAdmx } from '../../scripts/policyTemplates';

const root = join(__dirname, '..', '..');
const admx = readFileSync(join(root, ADMX_PATH), 'utf8');
const adml = readFileSync(join(root, ADML_PATH), 'utf8');

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

interface ParsedPolicy {
  tag: string;
  body: string;
  name: string;
}

function policies(): ParsedPolicy[] {
  return [...admx.matchAll(/(<policy\s[^>]*>)([\s\S]*?)<\/policy>/g)].map((m) => ({
    tag: m[1] ?? '',
    body: m[2] ?? '',
    name: attr(m[1] ?? '', 'name') ?? '',
  }));
}

/** Every opening tag has its closing tag, in order: enough to catch a broken template. */
function assertBalanced(xml: string, file: string): void {
  const stack: string[] = [];
  const withoutProlog = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutProlog.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `${file}: </${name}> closes the wrong element`);
    else stack.push(name ?? '');
  }
  assert.deepEqual(stack, [], `${file}: unclosed elements`);
}

describe('Group Policy templates', () => {
  it('are the current output of the generator', () => {
    assert.equal(admx, renderAdmx(), 'run: node --import tsx scripts/policyTemplates.ts');
    assert.equal(adml, renderAdml(), 'run: node --import tsx scripts/policyTemplates.ts');
  });

  it('are well-formed', () => {
    assertBalanced(admx, 'ADMX');
    assertBalanced(adml, 'ADML');
  });

  it('have one policy per configuration key and no other', () => {
    const names = policies().map((p) => p.name);
    assert.deepEqual([...names].sort(), [...CONFIG_KEYS].sort());
    assert.equal(new Set(names).size, names.length, 'no duplicate policy');
  });

  it("write each policy's value under the config key's name in SignInAssistant's own key", () => {
    for (const policy of policies()) {
      assert.ok(isConfigKey(policy.name), `${policy.name} is a config key`);
      assert.equal(attr(policy.tag, 'key'), 'Software\\Policies\\SignInAssistant');
      const valueNames = [
        attr(policy.tag, 'valueName'),
        ...[...policy.body.matchAll(/\svalueName="([^"]*)"/g)].map((m) => m[1]),
      ].filter((v): v is string => v !== undefined);
      assert.deepEqual(valueNames, [policy.name], `${policy.name}: one value, named as the key`);
      const kind = CONFIG_RULES[policy.name].kind;
      if (kind === 'boolean') {
        assert.match(policy.body, /<enabledValue>\s*<decimal value="1" \/>/);
        assert.match(policy.body, /<disabledValue>\s*<decimal value="0" \/>/);
        assert.equal(attr(policy.tag, 'presentation'), undefined);
      } else {
        const element = { integer: 'decimal', choice: 'enum', list: 'multiText', string: 'text' }[
          kind
        ];
        assert.match(
          policy.body,
          new RegExp(`<${element} id="${policy.name}" valueName="${policy.name}"`),
        );
      }
    }
    assert.doesNotMatch(admx, /Software\\Policies\\Microsoft/i, 'Intune refuses Microsoft keys');
  });

  it('give numbers exactly the range the configuration schema accepts', () => {
    const decimals = [...admx.matchAll(/<decimal id="(\w+)"[^>]*>/g)];
    assert.deepEqual(
      decimals.map((m) => m[1]).sort(),
      CONFIG_KEYS.filter((k) => CONFIG_RULES[k].kind === 'integer').sort(),
    );
    for (const [tag, key] of decimals) {
      const min = Number(attr(tag, 'minValue'));
      const max = Number(attr(tag, 'maxValue'));
      const accepts = (n: number) => validateConfigLayer({ [key as string]: n }, 'test').ok;
      assert.ok(accepts(min), `${key}: ${min} accepted`);
      assert.ok(accepts(max), `${key}: ${max} accepted`);
      assert.ok(!accepts(min - 1), `${key}: ${min - 1} refused by the schema`);
      assert.ok(!accepts(max + 1), `${key}: ${max + 1} refused by the schema`);
    }
  });

  it('resolve every $(string.X) and $(presentation.X) in the en-US ADML', () => {
    const strings = new Set([...adml.matchAll(/<string id="([^"]+)">/g)].map((m) => m[1]));
    const presentations = new Map(
      [...adml.matchAll(/<presentation id="([^"]+)">([\s\S]*?)<\/presentation>/g)].map((m) => [
        m[1],
        m[2] ?? '',
      ]),
    );
    const stringRefs = [...admx.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1]);
    const presentationRefs = [...admx.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(stringRefs.length >= CONFIG_KEYS.length * 2);
    for (const ref of stringRefs) assert.ok(strings.has(ref), `string ${ref} is defined`);
    for (const ref of presentationRefs)
      assert.ok(presentations.has(ref), `presentation ${ref} is defined`);
    // Each presentation control points at an element of its policy.
    for (const policy of policies()) {
      const ref = /\$\(presentation\.([^)]+)\)/.exec(policy.tag)?.[1];
      if (ref === undefined) continue;
      const controls = [...(presentations.get(ref) ?? '').matchAll(/refId="([^"]+)"/g)].map(
        (m) => m[1],
      );
      const elementIds = [
        ...policy.body.matchAll(/<(?:text|decimal|enum|multiText)\s+id="([^"]+)"/g),
      ].map((m) => m[1]);
      assert.deepEqual(controls, elementIds, `${policy.name}: presentation matches its elements`);
    }
  });

  it('offer exactly the choices the configuration schema accepts', () => {
    for (const key of CONFIG_KEYS.filter((k) => CONFIG_RULES[k].kind === 'choice')) {
      const policy = policies().find((p) => p.name === key);
      const values = [...(policy?.body ?? '').matchAll(/<string>([^<]*)<\/string>/g)].map(
        (m) => m[1] ?? '',
      );
      assert.deepEqual(values, [...(CONFIG_RULES[key].choices ?? [])], key);
      for (const value of values) assert.ok(validateConfigLayer({ [key]: value }, 'test').ok);
      assert.ok(!validateConfigLayer({ [key]: 'sometimes' }, 'test').ok);
    }
  });

  it('write lists as REG_MULTI_SZ (multiText) with a multi-line box', () => {
    for (const key of CONFIG_KEYS.filter((k) => CONFIG_RULES[k].kind === 'list')) {
      assert.match(admx, new RegExp(`<multiText id="${key}" valueName="${key}"`));
      assert.match(adml, new RegExp(`<text>[^<]+</text>\\s*<multiTextBox refId="${key}" `));
    }
  });

  it('define the categories and support statements the policies use', () => {
    const categories = new Set([...admx.matchAll(/<category name="([^"]+)"/g)].map((m) => m[1]));
    const supported = new Set([...admx.matchAll(/<definition name="([^"]+)"/g)].map((m) => m[1]));
    for (const policy of policies()) {
      assert.ok(
        categories.has(/<parentCategory ref="([^"]+)"/.exec(policy.body)?.[1]),
        policy.name,
      );
      assert.ok(supported.has(/<supportedOn ref="([^"]+)"/.exec(policy.body)?.[1]), policy.name);
    }
  });
});
