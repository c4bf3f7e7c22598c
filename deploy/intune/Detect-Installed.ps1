<#
.SYNOPSIS
  Intune Win32 app detection rule (custom script): is this version or newer installed?

.DESCRIPTION
  The MSI's ProductCode changes with every build, so detection uses the DisplayVersion of the
  uninstall entry whose DisplayName is "Sign-In Assistant". Set $MinimumVersion to the version
  being deployed. Output on stdout with exit 0 means "detected".
#>
$MinimumVersion = [version] '0.1.0'

$roots = @(
  'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall',
  'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'
)
foreach ($root in $roots) {
  if (-not (Test-Path $root)) { continue }
  foreach ($key in Get-ChildItem $root) {
    $entry = Get-ItemProperty -LiteralPath $key.PSPath
    if ($entry.DisplayName -eq 'Sign-In Assistant' -and $entry.DisplayVersion) {
      if ([version] $entry.DisplayVersion -ge $MinimumVersion) {
        Write-Output "Sign-In Assistant $($entry.DisplayVersion) detected"
        exit 0
      }
    }
  }
}
exit 1
