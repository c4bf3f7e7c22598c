/**
 * A stand-in for the Windows broker (WAM): it implements MSAL's broker plugin interface and keeps
 * its accounts in its own memory, never in the app's file cache, as the real broker does. Its
 * tokens are real: it gets them from the demo tenant (device code, approved for the user the
 * test names) with its own MSAL application and in-memory cache.
 */
import {
  ClientAuthError,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from '@azure/msal-node';
import type { AccountInfo, AuthenticationResult, INativeBrokerPlugin } from '@azure/msal-node';
import type { DemoTenant } from '../../src/demo/tenant';

type BrokerRequest = Parameters<INativeBrokerPlugin['acquireTokenInteractive']>[0];
type BrokerSignOut = Parameters<INativeBrokerPlugin['signOut']>[0];

export class FakeBroker implements INativeBrokerPlugin {
  readonly isBrokerAvailable = true;
  /** Window handles given to interactive calls, in order. */
  readonly windowHandles: (Buffer | undefined)[] = [];
  readonly calls: string[] = [];
  /** The user the next interactive sign-in approves as. */
  nextUser: string | null = null;
  /**
   * The account Windows is signed in with, which `prompt: 'none'` signs in silently (the
   * broker's SignInSilently); null: the broker says interaction is required, as for a local
   * account or a device that is not joined or registered.
   */
  osUser: string | null = null;
  /** How the next interactive sign-in fails: the user closes the dialog, or the broker breaks. */
  failInteractive: 'cancel' | 'error' | null = null;
  /** The prompt and login hint of each acquireTokenInteractive call, in order. */
  readonly interactiveRequests: { prompt: string | undefined; loginHint: string | undefined }[] =
    [];
  private readonly accounts = new Map<string, AccountInfo>();
  private readonly service: PublicClientApplication;

  constructor(private readonly tenant: DemoTenant) {
    this.service = new PublicClientApplication({
      auth: {
        clientId: tenant.clientId,
        authority: tenant.authority,
        knownAuthorities: [tenant.knownAuthority],
      },
    });
  }

  setLogger(): void {}

  get accountCount(): number {
    return this.accounts.size;
  }

  getAccountById(accountId: string): Promise<AccountInfo> {
    const account = this.accounts.get(accountId);
    return account ? Promise.resolve(account) : Promise.reject(new Error('no such account'));
  }

  getAllAccounts(clientId: string): Promise<AccountInfo[]> {
    this.calls.push('getAllAccounts');
    return Promise.resolve(clientId === this.tenant.clientId ? [...this.accounts.values()] : []);
  }

  async acquireTokenInteractive(
    request: BrokerRequest,
    windowHandle?: Buffer,
  ): Promise<AuthenticationResult> {
    this.calls.push('acquireTokenInteractive');
    this.windowHandles.push(windowHandle);
    this.interactiveRequests.push({ prompt: request.prompt, loginHint: request.loginHint });
    // What NativeBrokerPlugin does with prompt 'none' and no account: SignInSilently, whose
    // "interaction required" it turns into an InteractionRequiredAuthError.
    const silent = request.prompt === 'none' && !request.accountId;
    if (silent && this.osUser === null) {
      throw new InteractionRequiredAuthError('interaction_required', 'the broker needs the user');
    }
    if (!silent && this.failInteractive === 'cancel') {
      throw new ClientAuthError('user_canceled', 'the user closed the dialog');
    }
    if (!silent && this.failInteractive === 'error') {
      throw new ClientAuthError('platform_broker_error', 'the broker failed');
    }
    const user = silent ? this.osUser : this.nextUser;
    if (!user) throw new Error('the test named no user for the broker sign-in');
    const result = await this.service.acquireTokenByDeviceCode({
      scopes: request.scopes,
      deviceCodeCallback: (response) => {
        const code = /enter the code (\S+)/.exec(response.message)?.[1];
        if (code) setImmediate(() => this.tenant.approveDeviceCode(code, user));
      },
    });
    if (!result?.account) throw new Error('the demo tenant gave no account');
    return this.brokered(result);
  }

  async acquireTokenSilent(request: BrokerRequest): Promise<AuthenticationResult> {
    this.calls.push('acquireTokenSilent');
    const account = request.accountId ? this.accounts.get(request.accountId) : undefined;
    if (!account) throw new Error('the broker has no such account');
    const result = await this.service.acquireTokenSilent({
      account,
      scopes: request.scopes,
      forceRefresh: request.forceRefresh ?? false,
    });
    return this.brokered(result);
  }

  signOut(request: BrokerSignOut): Promise<void> {
    this.calls.push('signOut');
    this.accounts.delete(request.accountId);
    return Promise.resolve();
  }

  private brokered(result: AuthenticationResult): AuthenticationResult {
    if (!result.account) return result;
    const account: AccountInfo = {
      ...result.account,
      nativeAccountId: result.account.homeAccountId,
    };
    this.accounts.set(account.homeAccountId, account);
    return { ...result, account };
  }
}
