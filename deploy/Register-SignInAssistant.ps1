<#
.SYNOPSIS
  Creates the Microsoft Entra app registration Sign-In Assistant signs in with.

.DESCRIPTION
  Uses Microsoft Graph PowerShell (Install-Module Microsoft.Graph.Applications -Scope CurrentUser).
  Creates a single-tenant public client:
    - platform "Mobile and desktop applications" with the redirect URI http://localhost
      (the app listens on a loopback port and the system browser returns there) and, for the
      Windows broker (Web Account Manager), ms-appx-web://Microsoft.AAD.BrokerPlugin/<client ID>;
    - public client flows allowed (the headless command's --device-code sign-in);
    - delegated Microsoft Graph permission User.Read (no admin consent needed);
    - with -ReadDomainPolicy also Domain.Read.All, which needs admin consent
      (-GrantAdminConsent grants it for the whole organisation).
  Prints the tenant ID and client ID to set as the tenantId and clientId policies.

.EXAMPLE
  ./Register-SignInAssistant.ps1
.EXAMPLE
  ./Register-SignInAssistant.ps1 -ReadDomainPolicy -GrantAdminConsent
#>
[CmdletBinding()]
param(
  [string] $DisplayName = 'Sign-In Assistant',
  [string] $TenantId,
  [switch] $ReadDomainPolicy,
  [switch] $GrantAdminConsent
)

$ErrorActionPreference = 'Stop'
Import-Module Microsoft.Graph.Applications

$graphAppId = '00000003-0000-0000-c000-000000000000'

$scopes = @('Application.ReadWrite.All')
if ($GrantAdminConsent) { $scopes += 'DelegatedPermissionGrant.ReadWrite.All' }
$connect = @{ Scopes = $scopes; NoWelcome = $true }
if ($TenantId) { $connect.TenantId = $TenantId }
Connect-MgGraph @connect

# Permission IDs are looked up on Microsoft Graph's own service principal rather than hard-coded.
$graph = Get-MgServicePrincipal -Filter "appId eq '$graphAppId'"
function Get-DelegatedScopeId([string] $name) {
  $scope = $graph.Oauth2PermissionScopes | Where-Object { $_.Value -eq $name }
  if (-not $scope) { throw "Microsoft Graph has no delegated permission named $name" }
  return $scope.Id
}

$permissions = @('User.Read', 'UserAuthenticationMethod.Read')
if ($ReadDomainPolicy) { $permissions += 'Domain.Read.All' }
$access = @(
  @{
    ResourceAppId  = $graphAppId
    ResourceAccess = @($permissions | ForEach-Object { @{ Id = (Get-DelegatedScopeId $_); Type = 'Scope' } })
  }
)

$app = New-MgApplication -DisplayName $DisplayName `
  -SignInAudience 'AzureADMyOrg' `
  -IsFallbackPublicClient `
  -PublicClient @{ RedirectUris = @('http://localhost') } `
  -RequiredResourceAccess $access

# The Windows broker answers on a redirect URI that names the client ID, known only now.
$brokerRedirect = "ms-appx-web://Microsoft.AAD.BrokerPlugin/$($app.AppId)"
Update-MgApplication -ApplicationId $app.Id `
  -PublicClient @{ RedirectUris = @('http://localhost', $brokerRedirect) }

if ($GrantAdminConsent) {
  $sp = New-MgServicePrincipal -AppId $app.AppId
  New-MgOauth2PermissionGrant -ClientId $sp.Id -ConsentType 'AllPrincipals' `
    -ResourceId $graph.Id -Scope ($permissions -join ' ') | Out-Null
  Write-Host "Admin consent granted for: $($permissions -join ', ')"
}

$context = Get-MgContext
Write-Host ''
Write-Host "Tenant ID (tenantId policy): $($context.TenantId)"
Write-Host "Client ID (clientId policy): $($app.AppId)"
[pscustomobject]@{ TenantId = $context.TenantId; ClientId = $app.AppId }
