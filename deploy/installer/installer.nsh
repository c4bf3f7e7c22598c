; Included by the NSIS installer (electron-builder.yml: nsis.include).
; Starts Sign-In Assistant at sign-in through the Run key of the install scope: HKLM (every user)
; for a per-machine install, HKCU for a per-user one. The uninstaller removes it again.

!define SIGNIN_ASSISTANT_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SIGNIN_ASSISTANT_RUN_VALUE "SignInAssistant"
; The per-user value earlier versions of the app wrote next to the installer's (the app user model
; ID), and where Task Manager keeps its Startup switch for each value.
!define SIGNIN_ASSISTANT_OWN_RUN_VALUE "com.signinassistant.app"
!define SIGNIN_ASSISTANT_STARTUP_APPROVED_KEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"

!macro customInstall
  ; SHCTX follows SetShellVarContext, which the installer sets from the chosen install mode.
  WriteRegStr SHCTX "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --at-login'
  ; The installer's entry starts the app: a per-user value of the app's own would start it twice.
  DeleteRegValue HKCU "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_OWN_RUN_VALUE}"
  DeleteRegValue HKCU "${SIGNIN_ASSISTANT_STARTUP_APPROVED_KEY}" "${SIGNIN_ASSISTANT_OWN_RUN_VALUE}"
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller first; the new installer writes the value again.
  DeleteRegValue SHCTX "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_RUN_VALUE}"
  ; Any per-user value the app wrote, whatever the install mode.
  DeleteRegValue HKCU "${SIGNIN_ASSISTANT_RUN_KEY}" "${SIGNIN_ASSISTANT_OWN_RUN_VALUE}"
  DeleteRegValue HKCU "${SIGNIN_ASSISTANT_STARTUP_APPROVED_KEY}" "${SIGNIN_ASSISTANT_OWN_RUN_VALUE}"
  ; Task Manager's switch outlives an update (the user's choice), not a removal.
  ${ifNot} ${isUpdated}
    DeleteRegValue SHCTX "${SIGNIN_ASSISTANT_STARTUP_APPROVED_KEY}" "${SIGNIN_ASSISTANT_RUN_VALUE}"
  ${endIf}
!macroend
