import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, CONFIG_RULES, isConfigKey, validateConfigLayer } from '../../src/core/config';
import {
  ADML_PATH,
  ADMX_PATH,
  NAMESPACE,
  additionTemplates,
  admxRevision,
  appVersion,
  fullTemplate,
  renderAdml,
  renderAdmx,
  templatePaths,
} from '../../scripts/policyTemplates';
import { FIRST_RELEASE, POLICY_SINCE } from '../../scripts/policyText';

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

describe('template versions', () => {
  const revisionOf = (text: string) =>
    /<policyDefinitions\b[^>]*\srevision="([^"]+)"/.exec(text)?.[1];

  it("carry the app's version as their revision, in both files", () => {
    const version = appVersion();
    assert.equal(revisionOf(admx), admxRevision(version));
    assert.match(
      adml,
      new RegExp(`<policyDefinitionResources [^>]*revision="${admxRevision(version)}"`),
    );
    assert.match(admx, new RegExp(`<resources minRequiredRevision="${admxRevision(version)}" />`));
  });

  it('bump the revision with every release, in the form ADMX allows', () => {
    assert.equal(admxRevision('0.1.0'), '1.0');
    assert.equal(admxRevision('0.1.7'), '1.7');
    assert.equal(admxRevision('0.2.0'), '2.0');
    assert.equal(admxRevision('1.0.0'), '100.0');
    assert.equal(admxRevision('1.4.2-beta.1'), '104.2');
    const releases = [
      '0.1.0',
      '0.1.1',
      '0.1.12',
      '0.2.0',
      '0.10.3',
      '0.99.0',
      '1.0.0',
      '1.0.1',
      '2.3.0',
    ];
    const numeric = releases.map((v) => admxRevision(v).split('.').map(Number) as [number, number]);
    for (let i = 1; i < numeric.length; i++) {
      const a: [number, number] = numeric[i - 1] ?? [0, 0];
      const b: [number, number] = numeric[i] ?? [0, 0];
      assert.ok(
        a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]),
        `${releases[i - 1]} < ${releases[i]}`,
      );
    }
    for (const v of releases) assert.match(admxRevision(v), /^\d+\.\d+$/);
    assert.equal(revisionOf(renderAdmx(fullTemplate('0.3.4'))), '3.4', 'the generator uses it');
    assert.throws(() => admxRevision('0.100.0'), /does not fit/);
    assert.throws(() => admxRevision('latest'), /not a version/);
  });

  it('keep the namespace, so Group Policy replaces the old files in place', () => {
    assert.match(
      admx,
      new RegExp(
        `<target prefix="signinassistant" namespace="${NAMESPACE.replace(/\./g, '\\.')}" />`,
      ),
    );
    assert.equal(
      renderAdmx(fullTemplate('9.9.9'))
        .match(/namespace="[^"]+"/g)
        ?.join(),
      `namespace="${NAMESPACE}"`,
    );
  });

  it('give Intune an addition with only the keys a later version added, in a namespace of its own', () => {
    assert.deepEqual(
      additionTemplates(appVersion()),
      [],
      'nothing added since the first release yet',
    );
    assert.ok(Object.values(POLICY_SINCE).every((v) => v !== FIRST_RELEASE));
    const since = { enabled: '0.2.0', useWindowsBroker: '0.3.0' } as const;
    assert.deepEqual(
      additionTemplates('0.1.5', since),
      [],
      'none before the version that adds keys',
    );
    const sets = additionTemplates('0.3.1', since);
    assert.deepEqual(
      sets.map((set) => [set.addition, set.keys]),
      [
        ['0.2.0', ['enabled']],
        ['0.3.0', ['useWindowsBroker']],
      ],
    );
    const [second] = sets.slice(1);
    assert.ok(second);
    const text = renderAdmx(second);
    const strings = renderAdml(second);
    assert.equal([...text.matchAll(/<policy\s/g)].length, 1);
    assert.match(text, /<policy name="useWindowsBroker"/);
    assert.match(
      text,
      /<target prefix="signinassistantadded" namespace="SignInAssistant\.Policies\.SignInAssistant\.Added_0_3_0" \/>/,
    );
    assert.match(
      text,
      /<using prefix="signinassistant" namespace="SignInAssistant\.Policies\.SignInAssistant" \/>/,
    );
    assert.match(text, /<parentCategory ref="signinassistant:SignInAssistant" \/>/);
    assert.doesNotMatch(text, /<categories>|<supportedOn>/, 'the full template defines them');
    assert.equal(revisionOf(text), '3.1');
    assertBalanced(text, 'addition ADMX');
    assertBalanced(strings, 'addition ADML');
    for (const ref of [...text.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1])) {
      assert.match(strings, new RegExp(`<string id="${ref}">`));
    }
    assert.equal(
      templatePaths(second).admx,
      join('deploy', 'policy', 'intune', 'SignInAssistant-added-0.3.0.admx'),
    );
  });
});
