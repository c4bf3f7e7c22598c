<#
.SYNOPSIS
  Intune remediation, detection script: is this user's Microsoft 365 password about to expire?

.DESCRIPTION
  Runs "signin-assistant status" as the signed-in user (set "Run this script using the logged-on
  credentials" to Yes: the status is per user) and maps its exit code:
    0  ok, never expires or unknown      -> compliant (exit 0)
    1  expiring within the reminder window -> run the remediation (exit 1)
    2  expired                          -> run the remediation (exit 1)
    3  sign-in needed or sign-in error  -> run the remediation (exit 1)
    4  configuration error              -> reported, no remediation (exit 0): fix the policy
    5  service unreachable              -> reported, no remediation (exit 0): try again later
  The output line appears in the Intune report ("pre-remediation detection output").
#>
param(
  [string] $Command = (Join-Path $env:ProgramFiles 'Sign-In Assistant\Sign-In Assistant.exe')
)

$meaning = @{
  0 = 'OK: password fine, never expires or not known'
  1 = 'EXPIRING: password expires soon'
  2 = 'EXPIRED: password has expired'
  3 = 'SIGN-IN NEEDED: the user must sign in to Sign-In Assistant'
  4 = 'CONFIGURATION ERROR: check the SignInAssistant policies'
  5 = 'SERVICE UNREACHABLE: Microsoft 365 could not be reached'
}

if (-not (Test-Path -LiteralPath $Command)) {
  Write-Output "NOT INSTALLED: $Command"
  exit 0
}

$process = Start-Process -FilePath $Command -ArgumentList 'status' -Wait -PassThru -WindowStyle Hidden
$code = $process.ExitCode
$text = $meaning[$code]
if (-not $text) { $text = "UNEXPECTED EXIT CODE $code" }
Write-Output $text

if ($code -in 1, 2, 3) { exit 1 }
exit 0
