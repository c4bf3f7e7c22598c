; Included by the NSIS installer (electron-builder.yml: nsis.include).
; Starts Sign-In Assistant at sign-in through the Run key of the install scope: HKLM (every user)
; for a per-machine install, HKCU for a per-user one. The uninstaller removes it again.

!define SIGNIN_ASSISTANT_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SIGNIN_ASSISTANT_RUN_VALUE "SignInAssistant"

!macro customInstall
  ; SHCTX follows SetShellVarContext, which the installer sets from the chosen install mode.
  WriteRegStr SHCTX "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --at-login'
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller first; the new installer writes the value again.
  DeleteRegValue SHCTX "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_RUN_VALUE}"
!macroend
