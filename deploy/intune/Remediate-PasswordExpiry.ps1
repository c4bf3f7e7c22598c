<#
.SYNOPSIS
  Intune remediation, remediation script: show the user the reminder now.

.DESCRIPTION
  Runs "signin-assistant status --notify" as the signed-in user, which shows the same desktop
  notification the tray app shows (with the change-password link), at most once per local day.
  Run with the logged-on credentials, like the detection script.

  The script waits for the command itself, not for everything it starts: a browser opened by a
  click on the notification keeps running on its own. The command ends once the notification is
  closed or timed out and a clicked page has opened; after TimeoutSeconds the script stops waiting
  (the command finishes by itself).
#>
param(
  [string] $Command = (Join-Path $env:ProgramFiles 'Sign-In Assistant\Sign-In Assistant.exe'),
  [int] $TimeoutSeconds = 120
)

$process = Start-Process -FilePath $Command -ArgumentList 'status', '--notify' -PassThru -WindowStyle Hidden
# Keeps the process handle, so the exit code can be read after WaitForExit.
$null = $process.Handle
if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
  Write-Output "Reminder still open after $TimeoutSeconds seconds; not waiting any longer"
  exit 0
}
Write-Output "Reminder shown (status exit code $($process.ExitCode))"
exit 0
