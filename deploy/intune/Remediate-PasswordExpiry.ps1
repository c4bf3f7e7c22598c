<#
.SYNOPSIS
  Intune remediation, remediation script: show the user the reminder now.

.DESCRIPTION
  Runs "signin-assistant status --notify" as the signed-in user, which shows the same desktop
  notification the tray app shows (with the change-password link). Run with the logged-on
  credentials, like the detection script.
#>
param(
  [string] $Command = (Join-Path $env:ProgramFiles 'Sign-In Assistant\Sign-In Assistant.exe')
)

$process = Start-Process -FilePath $Command -ArgumentList 'status', '--notify' -Wait -PassThru -WindowStyle Hidden
Write-Output "Reminder shown (status exit code $($process.ExitCode))"
exit 0
