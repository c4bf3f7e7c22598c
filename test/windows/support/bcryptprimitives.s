# bcryptprimitives.dll for Wine 8.0, which has none: Go >= 1.22 programs (esbuild.exe, which tsx
# runs) abort at start without it ("fatal error: bcryptprimitives.dll not found").
# BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) -> advapi32!SystemFunction036 (RtlGenRandom);
# like Windows' ProcessPrng it always returns TRUE. scripts/windows-tier.sh assembles it with
# binutils-mingw-w64-x86-64 (no C compiler) into the test prefix. Test-only: never shipped.
    .text
    .globl ProcessPrng
ProcessPrng:
    sub  $40, %rsp
    call *__imp_SystemFunction036(%rip)
    mov  $1, %eax
    add  $40, %rsp
    ret
    .globl DllMain
DllMain:
    mov  $1, %eax
    ret
