import { randomBytes } from 'node:crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Token-shaped strings as Microsoft's identity platform issues them. */
export function realisticSecrets() {
  const header = b64url(
    JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'nOo3ZDrODXEK1jKWhXslHR_KXEg' }),
  );
  const payload = b64url(
    JSON.stringify({
      aud: '00000003-0000-0000-c000-000000000000',
      iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
      upn: 'adele.vance@contoso.com',
      scp: 'User.Read',
      exp: 1795000000,
    }),
  );
  const accessToken = `${header}.${payload}.${b64url(randomBytes(256))}`;
  const idToken = `${header}.${b64url(JSON.stringify({ pwd_exp: '86400', name: 'Adele' }))}.${b64url(randomBytes(256))}`;
  // Entra refresh tokens and codes are long opaque strings: "0.A" + base64url with dots and stars.
  const refreshToken = `0.AXoAv4j5cvGGr0GRqy180BHbR${b64url(randomBytes(600))}.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P${b64url(randomBytes(300))}*`;
  const authCode = `1.AXoAv4j5cvGGr0GRqy180BHbRw${b64url(randomBytes(400))}`;
  const deviceCode = `DAQABAAEAAAD--DLA3VO7QrddgJg7WevrA${b64url(randomBytes(90))}`;
  const codeVerifier = b64url(randomBytes(32));
  const clientInfo = b64url(JSON.stringify({ uid: '6c9a3f2e', utid: '72f988bf' }));
  const password = 'Spr1ng-Is-Here!2026';
  return {
    accessToken,
    idToken,
    refreshToken,
    authCode,
    deviceCode,
    codeVerifier,
    clientInfo,
    password,
  };
}
