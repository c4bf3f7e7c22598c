<#
.SYNOPSIS
  Removes what Sign-In Assistant leaves behind after uninstalling: each user's protected token
  cache, reminder records, preferences and logs.

.DESCRIPTION
  Uninstalling removes the program and the all-users Run entry, not the users' data folders:
    %LOCALAPPDATA%\SignInAssistant            token cache (DPAPI-protected for that user on that
                                              device), reminder records, preferences, logs, caches
    %APPDATA%\SignInAssistant                 the same, from versions before the move to Local
    %APPDATA%\Sign-In Assistant               browser caches of earlier versions
  and, per user, the Run value com.signinassistant.app an earlier version may have written.

  Without -AllUsers it runs as the signed-in user (an Intune platform script with "Run this
  script using the logged-on credentials" = Yes): it signs out first when the app is still
  installed (the command removes the tokens properly), then deletes that user's folders and value.
  With -AllUsers it runs as an administrator or SYSTEM and deletes the folders of every profile
  under the profiles folder; the per-user Run values are left (they start nothing once the program
  is gone). Tokens in the Windows broker (Web Account Manager) belong to the Windows account and
  are not touched.
#>
[CmdletBinding()]
param(
  [switch] $AllUsers
)

$ErrorActionPreference = 'Continue'
$folders = @('AppData\Local\SignInAssistant', 'AppData\Roaming\SignInAssistant', 'AppData\Roaming\Sign-In Assistant')

if ($AllUsers) {
  $profiles = Split-Path -Parent $env:PUBLIC
  foreach ($userProfile in Get-ChildItem -LiteralPath $profiles -Directory -Force) {
    foreach ($folder in $folders) {
      $path = Join-Path $userProfile.FullName $folder
      if (Test-Path -LiteralPath $path) {
        Remove-Item -LiteralPath $path -Recurse -Force
        Write-Output "Removed $path"
      }
    }
  }
  exit 0
}

$programFiles = $env:ProgramW6432
if (-not $programFiles) { $programFiles = $env:ProgramFiles }
foreach ($app in @((Join-Path $programFiles 'Sign-In Assistant\Sign-In Assistant.exe'),
    (Join-Path $env:LOCALAPPDATA 'Programs\Sign-In Assistant\Sign-In Assistant.exe'))) {
  if (Test-Path -LiteralPath $app) {
    $signOut = Start-Process -FilePath $app -ArgumentList 'sign-out' -Wait -PassThru
    Write-Output "sign-out exit code $($signOut.ExitCode)"
    break
  }
}
foreach ($folder in $folders) {
  $path = Join-Path $env:USERPROFILE $folder
  if (Test-Path -LiteralPath $path) {
    Remove-Item -LiteralPath $path -Recurse -Force
    Write-Output "Removed $path"
  }
}
Remove-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Run' -Name 'com.signinassistant.app' -ErrorAction SilentlyContinue
Remove-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run' -Name 'com.signinassistant.app' -ErrorAction SilentlyContinue
