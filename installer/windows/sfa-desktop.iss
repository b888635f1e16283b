; Inno Setup 6 script: the Windows installer of SFA Desktop from the PyInstaller one-folder
; build (installer/sfa.spec). NOT tested on this project's Linux machine: see installer/README.md.
;
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\sfa-desktop.iss
;
; expects build\windows\dist\sfa-desktop\ (sfa-desktop.exe, sfa.exe, _internal\) and
; installer\windows\sfa-desktop.ico; writes dist\sfa-desktop-<version>-setup.exe.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z installer\windows\sfa-desktop.iss
#endif
#define AppName "SFA Desktop"
#define BuildDir "..\..\build\windows\dist\sfa-desktop"

[Setup]
; a fixed id: upgrades replace the installed version instead of installing a second one
AppId={{6F1C2B7E-3D4A-4E59-9C1B-5A7E2D8F0B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=SFA Desktop maintainers
DefaultDirName={autopf}\SFA Desktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per-user install without administrator rights by default; the dialog offers all users
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=sfa-desktop-{#AppVersion}-setup
SetupIconFile=sfa-desktop.ico
UninstallDisplayIcon={app}\sfa-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the app keeps its data in the user's profile (platformdirs), never in {app}: an uninstall
; leaves the user's database alone
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder build; ignoreversion: every file is replaced on upgrade
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; files of an older version that this one no longer ships
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\sfa-desktop.exe"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\sfa-desktop.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\sfa-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
