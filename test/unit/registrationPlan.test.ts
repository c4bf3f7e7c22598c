/**
 * The registration script's plan: what it would create or change, given what the tenant has
 * (scripts/registrationPlan.ts), and that the script holds and follows those rules. PowerShell and
 * a tenant are not available here: the model and the script's text are what is checked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  LOOPBACK_REDIRECT,
  PLAN_RULES,
  REGISTER_SCRIPT,
  brokerRedirect,
  planRegistration,
  planRulesIn,
  renderPlanRules,
} from '../../scripts/registrationPlan';
import type { Asked, ExistingApp, Step } from '../../scripts/registrationPlan';

const root = join(__dirname, '..', '..');
const script = readFileSync(join(root, REGISTER_SCRIPT), 'utf8');
const body = script.replace(/<#[\s\S]*?#>/, '');

/** The permission list of the script: each name with "always" or the switch that adds it. */
const permissions = [
  ...(/\$Permissions = @\(\n([\s\S]*?)\n\)/.exec(body)?.[1] ?? '').matchAll(
    /@\{ Name = '([^']+)'; When = '([^']+)' \}/g,
  ),
].map((m) => ({ name: m[1] ?? '', when: m[2] ?? '' }));
const scopesFor = (switches: string[]) =>
  permissions.filter((p) => p.when === 'always' || switches.includes(p.when)).map((p) => p.name);

const asked = (more: Partial<Asked> = {}): Asked => ({
  scopes: scopesFor([]),
  allowDeviceCode: false,
  consent: true,
  ...more,
});

/** What the steps leave behind (the same effects as the script's switch). */
function apply(apps: ExistingApp[], plan: Step[], want: Asked): ExistingApp[] {
  if (plan.includes('stop-duplicates')) return apps;
  let app: ExistingApp = apps[0] ?? {
    appId: 'new-app-id',
    redirectUris: [],
    isFallbackPublicClient: false,
    scopes: [],
    servicePrincipal: false,
    grantScopes: null,
  };
  for (const step of plan) {
    if (step === 'set-redirects')
      app = {
        ...app,
        redirectUris: [
          ...new Set([...app.redirectUris, LOOPBACK_REDIRECT, brokerRedirect(app.appId)]),
        ],
      };
    if (step === 'set-permissions') app = { ...app, scopes: want.scopes };
    if (step === 'set-public-client-flows')
      app = { ...app, isFallbackPublicClient: want.allowDeviceCode };
    if (step === 'create-service-principal') app = { ...app, servicePrincipal: true };
    if (step === 'create-grant') app = { ...app, grantScopes: want.scopes };
    if (step === 'update-grant')
      app = { ...app, grantScopes: [...new Set([...(app.grantScopes ?? []), ...want.scopes])] };
  }
  return [app];
}

describe('the registration plan', () => {
  it('the permissions are listed once: User.Read and the optional UserAuthenticationMethod.Read always, Domain.Read.All only when asked', () => {
    assert.deepEqual(scopesFor([]), ['User.Read', 'UserAuthenticationMethod.Read']);
    assert.deepEqual(scopesFor(['ReadDomainPolicy']), [
      'User.Read',
      'UserAuthenticationMethod.Read',
      'Domain.Read.All',
    ]);
    for (const p of permissions.filter((p) => p.when !== 'always')) {
      assert.match(body, new RegExp(`\\[switch\\] \\$${p.when}\\b`), `${p.when} is a switch`);
    }
    assert.equal(body.match(/'User\.Read'/g)?.length, 1, 'named in one place only');
  });

  it('a first run creates one registration, with consent by default and no device code', () => {
    const plan = planRegistration([], asked());
    assert.deepEqual(plan, [
      'create-app',
      'set-redirects',
      'set-permissions',
      'create-service-principal',
      'create-grant',
    ]);
    const after = apply([], plan, asked());
    assert.equal(after[0]?.isFallbackPublicClient, false, 'public client flows stay off');
    assert.deepEqual(after[0]?.grantScopes, ['User.Read', 'UserAuthenticationMethod.Read']);
  });

  it('a rerun finds the registration and does nothing, in every combination of switches', () => {
    for (const allowDeviceCode of [false, true]) {
      for (const consent of [false, true]) {
        for (const switches of [[], ['ReadDomainPolicy']]) {
          const want = asked({ allowDeviceCode, consent, scopes: scopesFor(switches) });
          const once = apply([], planRegistration([], want), want);
          assert.deepEqual(planRegistration(once, want), [], JSON.stringify(want));
        }
      }
    }
  });

  it('never creates a second registration; two of the same name stop the script', () => {
    const existing = apply([], planRegistration([], asked()), asked());
    for (const want of [
      asked(),
      asked({ allowDeviceCode: true }),
      asked({ scopes: scopesFor(['ReadDomainPolicy']) }),
    ]) {
      assert.ok(!planRegistration(existing, want).includes('create-app'));
    }
    const twins = [...existing, { ...(existing[0] as ExistingApp), appId: 'twin' }];
    assert.deepEqual(planRegistration(twins, asked()), ['stop-duplicates']);
  });

  it('a run that stopped half-way (the old failure after the app existed) finishes the job', () => {
    const half: ExistingApp = {
      appId: 'half',
      redirectUris: [LOOPBACK_REDIRECT],
      isFallbackPublicClient: true,
      scopes: ['User.Read', 'UserAuthenticationMethod.Read', 'Domain.Read.All'],
      servicePrincipal: true,
      grantScopes: null,
    };
    const want = asked({ scopes: scopesFor(['ReadDomainPolicy']) });
    assert.deepEqual(planRegistration([half], want), [
      'set-redirects',
      'set-public-client-flows',
      'create-grant',
    ]);
    const widened = asked({ scopes: scopesFor(['ReadDomainPolicy']) });
    const granted = [
      {
        ...half,
        redirectUris: [LOOPBACK_REDIRECT, brokerRedirect('half')],
        isFallbackPublicClient: false,
        grantScopes: ['User.Read'],
      },
    ];
    assert.deepEqual(planRegistration(granted, widened), ['update-grant']);
    assert.deepEqual(
      planRegistration(granted, asked({ consent: false, scopes: widened.scopes })),
      [],
    );
  });
});

describe('the registration script', () => {
  it('holds the current plan rules', () => {
    assert.equal(
      planRulesIn(script),
      renderPlanRules(),
      'run: node --import tsx scripts/registrationPlan.ts',
    );
  });

  it('works out every fact the rules name, and runs exactly the planned steps', () => {
    const facts = new Set(
      PLAN_RULES.flatMap((r) => r.when.split(' & ')).map((t) => t.replace(/^!|[=<>]\d+$/g, '')),
    );
    const factsBlock = /\$facts = @\{\n([\s\S]*?)\n\}/.exec(body)?.[1] ?? '';
    const computed = new Set([...factsBlock.matchAll(/^ {2}(\w+) = /gm)].map((m) => m[1]));
    assert.deepEqual([...computed].sort(), [...facts].sort());
    assert.match(body, /\$plan = @\(\$PlanRules \| Where-Object \{ Test-When \$_\.When \$facts \}/);
    const cases = [...body.matchAll(/^ {4}'([\w-]+)' \{$/gm)].map((m) => m[1]);
    assert.deepEqual(
      cases,
      PLAN_RULES.map((r) => r.step).filter((s) => s !== 'stop-duplicates'),
    );
    assert.match(body, /if \(\$plan -contains 'stop-duplicates'\) \{[\s\S]*?throw/);
    assert.match(body, /if \(\$PlanOnly\) \{ return \}/);
    assert.equal(body.match(/New-MgApplication/g)?.length, 1, 'one place creates an app');
  });

  it('installs and imports the module of every Graph cmdlet it calls', () => {
    const moduleOf: Record<string, string> = {
      'Connect-MgGraph': 'Microsoft.Graph.Authentication',
      'Get-MgContext': 'Microsoft.Graph.Authentication',
      'Get-MgApplication': 'Microsoft.Graph.Applications',
      'New-MgApplication': 'Microsoft.Graph.Applications',
      'Update-MgApplication': 'Microsoft.Graph.Applications',
      'Get-MgServicePrincipal': 'Microsoft.Graph.Applications',
      'New-MgServicePrincipal': 'Microsoft.Graph.Applications',
      'Get-MgOauth2PermissionGrant': 'Microsoft.Graph.Identity.SignIns',
      'New-MgOauth2PermissionGrant': 'Microsoft.Graph.Identity.SignIns',
      'Update-MgOauth2PermissionGrant': 'Microsoft.Graph.Identity.SignIns',
    };
    const used = new Set(
      [...body.matchAll(/\b(?:Connect|Get|New|Update|Remove)-Mg\w+/g)].map((m) => m[0]),
    );
    const modules = /\$modules = @\(([^)]*)\)/.exec(body)?.[1] ?? '';
    for (const cmdlet of used) {
      const module = moduleOf[cmdlet];
      assert.ok(module, `${cmdlet} is known`);
      assert.ok(modules.includes(`'${module}'`), `${module} is installed for ${cmdlet}`);
    }
    assert.match(body, /Install-Module \$module -Scope CurrentUser/);
    assert.match(body, /Import-Module \$module/);
    assert.ok(body.indexOf('Import-Module') < body.indexOf('Connect-MgGraph'));
  });

  it('asks for consent rights only when it grants consent, and public client flows only when asked', () => {
    assert.match(body, /\$consent = -not \$SkipAdminConsent/);
    assert.match(
      body,
      /if \(\$consent\) \{ \$connect\.Scopes \+= 'DelegatedPermissionGrant\.ReadWrite\.All' \}/,
    );
    assert.match(body, /-IsFallbackPublicClient:\(\[bool\] \$AllowDeviceCode\)/);
    assert.doesNotMatch(
      body,
      /-IsFallbackPublicClient\s*`?\s*\n|-IsFallbackPublicClient -/,
      'never switched on unasked',
    );
    assert.match(body, /'http:\/\/localhost'/);
    assert.match(body, /"ms-appx-web:\/\/Microsoft\.AAD\.BrokerPlugin\/\$\(\$app\.AppId\)"/);
    assert.match(body, /Tenant ID .*\$\(\$context\.TenantId\)/);
    assert.match(body, /Client ID .*\$\(\$app\.AppId\)/);
  });
});
